/// The fields of an H.265 sequence parameter set (ITU-T H.265 7.3.2.2) that muxers need, including the
/// general profile_tier_level bytes that `hvcC` and the RFC 6381 codec string copy verbatim.
public struct H265SPS: Sendable, Equatable {
    public var generalProfileSpace: UInt8
    public var generalTierFlag: Bool
    public var generalProfileIdc: UInt8
    public var generalProfileCompatibilityFlags: UInt32
    /// progressive/interlaced/non-packed/frame-only flags and the 44 reserved bits (6 bytes).
    public var generalConstraintIndicatorFlags: [UInt8]
    public var generalLevelIdc: UInt8
    public var maxSubLayersMinus1: Int
    public var temporalIdNesting: Bool
    public var chromaFormatIdc: Int
    public var bitDepthLumaMinus8: Int
    public var bitDepthChromaMinus8: Int
    public var width: Int
    public var height: Int
    public var frameRate: Double?

    public init<C: Collection>(nal: C) throws(ParameterSetError) where C.Element == UInt8 {
        let rbsp = AnnexB.rbsp(from: nal)
        guard rbsp.count >= 15 else { throw .truncated(what: "SPS header", bitOffset: rbsp.count * 8) }
        guard NALUnitKind.h265Type(rbsp[0]) == NALUnitKind.h265SPS else {
            throw .invalid(what: "nal_unit_type (expected SPS 33)", value: Int(NALUnitKind.h265Type(rbsp[0])))
        }
        var r = RBSPBitReader(rbsp, byteOffset: 2)
        try r.skip(4, "sps_video_parameter_set_id")
        maxSubLayersMinus1 = Int(try r.bits(3, "sps_max_sub_layers_minus1"))
        temporalIdNesting = try r.flag("sps_temporal_id_nesting_flag")
        // profile_tier_level(1, sps_max_sub_layers_minus1), 7.3.3: the general part is byte aligned here.
        let ptl = r.bitOffset / 8
        generalProfileSpace = rbsp[ptl] >> 6
        generalTierFlag = rbsp[ptl] & 0x20 != 0
        generalProfileIdc = rbsp[ptl] & 0x1F
        generalProfileCompatibilityFlags = UInt32(rbsp[ptl + 1]) << 24 | UInt32(rbsp[ptl + 2]) << 16
            | UInt32(rbsp[ptl + 3]) << 8 | UInt32(rbsp[ptl + 4])
        generalConstraintIndicatorFlags = Array(rbsp[(ptl + 5)..<(ptl + 11)])
        generalLevelIdc = rbsp[ptl + 11]
        try r.skip(96, "general profile_tier_level")
        var subProfilePresent: [Bool] = []
        var subLevelPresent: [Bool] = []
        for _ in 0..<maxSubLayersMinus1 {
            subProfilePresent.append(try r.flag("sub_layer_profile_present_flag"))
            subLevelPresent.append(try r.flag("sub_layer_level_present_flag"))
        }
        if maxSubLayersMinus1 > 0 { try r.skip(2 * (8 - maxSubLayersMinus1), "reserved_zero_2bits") }
        for i in 0..<maxSubLayersMinus1 {
            if subProfilePresent[i] { try r.skip(88, "sub_layer profile") }
            if subLevelPresent[i] { try r.skip(8, "sub_layer_level_idc") }
        }
        _ = try r.ue("sps_seq_parameter_set_id")
        chromaFormatIdc = Int(try r.ue("chroma_format_idc"))
        guard chromaFormatIdc <= 3 else { throw .invalid(what: "chroma_format_idc", value: chromaFormatIdc) }
        if chromaFormatIdc == 3 { try r.skip(1, "separate_colour_plane_flag") }
        let picWidth = Int(try r.ue("pic_width_in_luma_samples"))
        let picHeight = Int(try r.ue("pic_height_in_luma_samples"))
        var window = (left: 0, right: 0, top: 0, bottom: 0)
        if try r.flag("conformance_window_flag") {
            window = (Int(try r.ue("conf_win_left_offset")), Int(try r.ue("conf_win_right_offset")),
                      Int(try r.ue("conf_win_top_offset")), Int(try r.ue("conf_win_bottom_offset")))
        }
        // Table 6-1: SubWidthC/SubHeightC.
        let subWidthC = (chromaFormatIdc == 1 || chromaFormatIdc == 2) ? 2 : 1
        let subHeightC = chromaFormatIdc == 1 ? 2 : 1
        width = picWidth - subWidthC * (window.left + window.right)
        height = picHeight - subHeightC * (window.top + window.bottom)
        guard width > 0, height > 0 else { throw .invalid(what: "conformance window size", value: min(width, height)) }
        bitDepthLumaMinus8 = Int(try r.ue("bit_depth_luma_minus8"))
        bitDepthChromaMinus8 = Int(try r.ue("bit_depth_chroma_minus8"))
        frameRate = try? Self.frameRateAfterBitDepth(&r, maxSubLayersMinus1: maxSubLayersMinus1)
    }

    /// Walks the rest of the SPS to the VUI timing info (E.2.1: fps = time_scale / num_units_in_tick).
    private static func frameRateAfterBitDepth(_ r: inout RBSPBitReader, maxSubLayersMinus1: Int) throws(ParameterSetError) -> Double? {
        let log2MaxPocLsb = Int(try r.ue("log2_max_pic_order_cnt_lsb_minus4")) + 4
        let orderingInfoPresent = try r.flag("sps_sub_layer_ordering_info_present_flag")
        for _ in (orderingInfoPresent ? 0 : maxSubLayersMinus1)...maxSubLayersMinus1 {
            _ = try r.ue("sps_max_dec_pic_buffering_minus1")
            _ = try r.ue("sps_max_num_reorder_pics")
            _ = try r.ue("sps_max_latency_increase_plus1")
        }
        for name in ["log2_min_luma_coding_block_size_minus3", "log2_diff_max_min_luma_coding_block_size",
                     "log2_min_luma_transform_block_size_minus2", "log2_diff_max_min_luma_transform_block_size",
                     "max_transform_hierarchy_depth_inter", "max_transform_hierarchy_depth_intra"] {
            _ = try r.ue(name)
        }
        if try r.flag("scaling_list_enabled_flag") {
            if try r.flag("sps_scaling_list_data_present_flag") { try skipScalingListData(&r) }
        }
        try r.skip(2, "amp_enabled_flag, sample_adaptive_offset_enabled_flag")
        if try r.flag("pcm_enabled_flag") {
            try r.skip(8, "pcm bit depths")
            _ = try r.ue("log2_min_pcm_luma_coding_block_size_minus3")
            _ = try r.ue("log2_diff_max_min_pcm_luma_coding_block_size")
            try r.skip(1, "pcm_loop_filter_disabled_flag")
        }
        let numShortTermRefPicSets = Int(try r.ue("num_short_term_ref_pic_sets"))
        guard numShortTermRefPicSets <= 64 else { throw .invalid(what: "num_short_term_ref_pic_sets", value: numShortTermRefPicSets) }
        var numDeltaPocs: [Int] = []
        for idx in 0..<numShortTermRefPicSets {
            numDeltaPocs.append(try skipShortTermRefPicSet(&r, index: idx, numDeltaPocs: numDeltaPocs))
        }
        if try r.flag("long_term_ref_pics_present_flag") {
            let count = Int(try r.ue("num_long_term_ref_pics_sps"))
            guard count <= 32 else { throw .invalid(what: "num_long_term_ref_pics_sps", value: count) }
            for _ in 0..<count { try r.skip(log2MaxPocLsb + 1, "lt_ref_pic_poc_lsb_sps, used_by_curr_pic_lt_sps_flag") }
        }
        try r.skip(2, "sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag")
        guard try r.flag("vui_parameters_present_flag") else { return nil }
        // E.2.1 vui_parameters up to vui_timing_info.
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
        try r.skip(3, "neutral_chroma, field_seq, frame_field_info_present")
        if try r.flag("default_display_window_flag") {
            for _ in 0..<4 { _ = try r.ue("def_disp_win_offset") }
        }
        guard try r.flag("vui_timing_info_present_flag") else { return nil }
        let unitsInTick = try r.bits(32, "vui_num_units_in_tick")
        let timeScale = try r.bits(32, "vui_time_scale")
        guard unitsInTick > 0, timeScale > 0 else { return nil }
        return Double(timeScale) / Double(unitsInTick)
    }

    /// 7.3.7 st_ref_pic_set(stRpsIdx) as it appears in the SPS; returns NumDeltaPocs[stRpsIdx].
    private static func skipShortTermRefPicSet(_ r: inout RBSPBitReader, index: Int, numDeltaPocs: [Int]) throws(ParameterSetError) -> Int {
        if index != 0, try r.flag("inter_ref_pic_set_prediction_flag") {
            try r.skip(1, "delta_rps_sign")
            _ = try r.ue("abs_delta_rps_minus1")
            let reference = numDeltaPocs[index - 1]  // delta_idx_minus1 is absent in the SPS: RefRpsIdx = idx - 1
            var count = 0
            for _ in 0...reference {
                let usedByCurr = try r.flag("used_by_curr_pic_flag")
                let useDelta = usedByCurr ? true : try r.flag("use_delta_flag")
                if useDelta { count += 1 }
            }
            return count
        }
        let negative = Int(try r.ue("num_negative_pics"))
        let positive = Int(try r.ue("num_positive_pics"))
        guard negative + positive <= 32 else { throw .invalid(what: "num_negative_pics + num_positive_pics", value: negative + positive) }
        for _ in 0..<(negative + positive) {
            _ = try r.ue("delta_poc_minus1")
            try r.skip(1, "used_by_curr_pic_flag")
        }
        return negative + positive
    }

    /// 7.3.4 scaling_list_data().
    private static func skipScalingListData(_ r: inout RBSPBitReader) throws(ParameterSetError) {
        for sizeId in 0..<4 {
            for _ in stride(from: 0, to: 6, by: sizeId == 3 ? 3 : 1) {
                if try r.flag("scaling_list_pred_mode_flag") == false {
                    _ = try r.ue("scaling_list_pred_matrix_id_delta")
                } else {
                    let coefficients = min(64, 1 << (4 + (sizeId << 1)))
                    if sizeId > 1 { _ = try r.se("scaling_list_dc_coef_minus8") }
                    for _ in 0..<coefficients { _ = try r.se("scaling_list_delta_coef") }
                }
            }
        }
    }

    /// ISO/IEC 14496-15 E.3: `hvc1.<space><profile>.<compat reversed>.<tier><level>.<constraints>`.
    public var rfc6381Codec: String {
        let space = ["", "A", "B", "C"][Int(generalProfileSpace & 3)]
        var reversed: UInt32 = 0
        for i in 0..<32 where generalProfileCompatibilityFlags & (1 << UInt32(i)) != 0 {
            reversed |= 1 << UInt32(31 - i)
        }
        var constraints = generalConstraintIndicatorFlags
        while let last = constraints.last, last == 0 { constraints.removeLast() }
        var s = "hvc1.\(space)\(generalProfileIdc).\(String(reversed, radix: 16, uppercase: true))"
        s += ".\(generalTierFlag ? "H" : "L")\(generalLevelIdc)"
        for byte in constraints { s += "." + String(byte, radix: 16, uppercase: true) }
        return s
    }
}
