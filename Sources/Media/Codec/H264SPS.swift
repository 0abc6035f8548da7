/// The fields of an H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1) that muxers and viewers need.
public struct H264SPS: Sendable, Equatable {
    public var profileIdc: UInt8
    public var constraintFlags: UInt8
    public var levelIdc: UInt8
    public var chromaFormatIdc: Int
    public var bitDepthLumaMinus8: Int
    public var bitDepthChromaMinus8: Int
    public var width: Int
    public var height: Int
    public var frameRate: Double?

    /// Parses a SPS NAL unit (header byte included, emulation prevention still present).
    public init<C: Collection>(nal: C) throws(ParameterSetError) where C.Element == UInt8 {
        let rbsp = AnnexB.rbsp(from: nal)
        guard rbsp.count >= 4 else { throw .truncated(what: "SPS header", bitOffset: rbsp.count * 8) }
        guard NALUnitKind.h264Type(rbsp[0]) == NALUnitKind.h264SPS else {
            throw .invalid(what: "nal_unit_type (expected SPS 7)", value: Int(NALUnitKind.h264Type(rbsp[0])))
        }
        profileIdc = rbsp[1]
        constraintFlags = rbsp[2]
        levelIdc = rbsp[3]
        var r = RBSPBitReader(rbsp, byteOffset: 4)
        _ = try r.ue("seq_parameter_set_id")
        chromaFormatIdc = 1
        bitDepthLumaMinus8 = 0
        bitDepthChromaMinus8 = 0
        var separateColourPlane = false
        // High profiles carry chroma format and scaling lists (7.3.2.1.1).
        if [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].contains(profileIdc) {
            chromaFormatIdc = Int(try r.ue("chroma_format_idc"))
            if chromaFormatIdc == 3 { separateColourPlane = try r.flag("separate_colour_plane_flag") }
            bitDepthLumaMinus8 = Int(try r.ue("bit_depth_luma_minus8"))
            bitDepthChromaMinus8 = Int(try r.ue("bit_depth_chroma_minus8"))
            try r.skip(1, "qpprime_y_zero_transform_bypass_flag")
            if try r.flag("seq_scaling_matrix_present_flag") {
                for i in 0..<(chromaFormatIdc != 3 ? 8 : 12) where try r.flag("seq_scaling_list_present_flag") {
                    try Self.skipScalingList(&r, size: i < 6 ? 16 : 64)
                }
            }
        }
        _ = try r.ue("log2_max_frame_num_minus4")
        let pocType = try r.ue("pic_order_cnt_type")
        if pocType == 0 {
            _ = try r.ue("log2_max_pic_order_cnt_lsb_minus4")
        } else if pocType == 1 {
            try r.skip(1, "delta_pic_order_always_zero_flag")
            _ = try r.se("offset_for_non_ref_pic")
            _ = try r.se("offset_for_top_to_bottom_field")
            let cycle = try r.ue("num_ref_frames_in_pic_order_cnt_cycle")
            guard cycle <= 255 else { throw .invalid(what: "num_ref_frames_in_pic_order_cnt_cycle", value: Int(cycle)) }
            for _ in 0..<cycle { _ = try r.se("offset_for_ref_frame") }
        }
        _ = try r.ue("max_num_ref_frames")
        try r.skip(1, "gaps_in_frame_num_value_allowed_flag")
        let widthInMbs = Int(try r.ue("pic_width_in_mbs_minus1")) + 1
        let heightInMapUnits = Int(try r.ue("pic_height_in_map_units_minus1")) + 1
        let frameMbsOnly = try r.flag("frame_mbs_only_flag")
        if !frameMbsOnly { try r.skip(1, "mb_adaptive_frame_field_flag") }
        try r.skip(1, "direct_8x8_inference_flag")
        var crop = (left: 0, right: 0, top: 0, bottom: 0)
        if try r.flag("frame_cropping_flag") {
            crop = (Int(try r.ue("frame_crop_left_offset")), Int(try r.ue("frame_crop_right_offset")),
                    Int(try r.ue("frame_crop_top_offset")), Int(try r.ue("frame_crop_bottom_offset")))
        }
        // Crop units: 7.4.2.1.1 (CropUnitX/Y from ChromaArrayType, SubWidthC, SubHeightC).
        let chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc
        let subWidthC = chromaFormatIdc == 3 ? 1 : 2
        let subHeightC = chromaFormatIdc == 1 ? 2 : 1
        let cropUnitX = chromaArrayType == 0 ? 1 : subWidthC
        let cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2)
        width = widthInMbs * 16 - cropUnitX * (crop.left + crop.right)
        height = (frameMbsOnly ? 1 : 2) * heightInMapUnits * 16 - cropUnitY * (crop.top + crop.bottom)
        guard width > 0, height > 0 else { throw .invalid(what: "cropped picture size", value: min(width, height)) }
        frameRate = nil
        if try r.flag("vui_parameters_present_flag") {
            // A VUI cut short still leaves a usable SPS: the frame rate is optional.
            frameRate = try? Self.vuiFrameRate(&r)
        }
    }

    /// E.1.1 up to timing_info: fps = time_scale / (2 × num_units_in_tick) (E.2.1, frame = 2 fields).
    private static func vuiFrameRate(_ r: inout RBSPBitReader) throws(ParameterSetError) -> Double? {
        if try r.flag("aspect_ratio_info_present_flag") {
            if try r.bits(8, "aspect_ratio_idc") == 255 { try r.skip(32, "sar") }
        }
        if try r.flag("overscan_info_present_flag") { try r.skip(1, "overscan_appropriate_flag") }
        if try r.flag("video_signal_type_present_flag") {
            try r.skip(4, "video_format, video_full_range_flag")
            if try r.flag("colour_description_present_flag") { try r.skip(24, "colour_description") }
        }
        if try r.flag("chroma_loc_info_present_flag") {
            _ = try r.ue("chroma_sample_loc_type_top_field")
            _ = try r.ue("chroma_sample_loc_type_bottom_field")
        }
        guard try r.flag("timing_info_present_flag") else { return nil }
        let unitsInTick = try r.bits(32, "num_units_in_tick")
        let timeScale = try r.bits(32, "time_scale")
        guard unitsInTick > 0, timeScale > 0 else { return nil }
        return Double(timeScale) / Double(2 * UInt64(unitsInTick))
    }

    private static func skipScalingList(_ r: inout RBSPBitReader, size: Int) throws(ParameterSetError) {
        var last: Int32 = 8
        var next: Int32 = 8
        for _ in 0..<size where next != 0 {
            let delta = try r.se("delta_scale")
            next = (last + delta + 256) % 256
            if next != 0 { last = next }
        }
    }

    public var codecParametersProfile: Int { Int(profileIdc) }
}
