import NIOCore

/// ftyp + moov for fragmented MP4 (ISO/IEC 14496-12; CMAF/MSE/HLS fMP4): one video track (1) and an
/// optional G.711 audio track (2), empty sample tables, mvex/trex so that every sample lives in fragments.
enum MP4InitializationSegment {
    static let videoTrackID: UInt32 = 1
    static let audioTrackID: UInt32 = 2
    static let videoTimescale: UInt32 = 90_000
    static let audioTimescale: UInt32 = 8_000

    static func build(video: CodecParameters, audio: MediaCodec?, comment: String? = nil) -> ByteBuffer {
        var w = MP4BoxWriter()
        w.box("ftyp") { w in
            w.fourCC("iso5")
            w.u32(512)
            for brand in ["iso5", "iso6", "mp41", video.codec == .h265 ? "hvc1" : "avc1"] { w.fourCC(brand) }
        }
        w.box("moov") { w in
            w.fullBox("mvhd", version: 0, flags: 0) { w in
                w.u32(0); w.u32(0)       // creation, modification
                w.u32(1000); w.u32(0)    // timescale, duration (unknown: fragmented)
                w.u32(0x0001_0000); w.u16(0x0100); w.zeros(10)
                w.unityMatrix()
                w.zeros(24)
                w.u32(audio == nil ? 2 : 3)  // next_track_ID
            }
            videoTrack(&w, video)
            if let audio { audioTrack(&w, audio) }
            w.box("mvex") { w in
                trex(&w, videoTrackID)
                if audio != nil { trex(&w, audioTrackID) }
            }
            if let comment { userComment(&w, comment) }
        }
        return w.buffer
    }

    /// moov/udta/©cmt (QuickTime user data text, read by ffprobe as the `comment` tag): a downloaded
    /// file names the audit entry that allowed it.
    private static func userComment(_ w: inout MP4BoxWriter, _ text: String) {
        let utf8 = Array(text.utf8.prefix(4000))
        w.box("udta") { w in
            w.u32(UInt32(8 + 4 + utf8.count))
            w.bytes([0xA9, 0x63, 0x6D, 0x74])  // "©cmt"
            w.u16(UInt16(utf8.count))
            w.u16(0x55C4)                      // language "und"
            w.bytes(utf8)
        }
    }

    private static func trex(_ w: inout MP4BoxWriter, _ trackID: UInt32) {
        w.fullBox("trex", version: 0, flags: 0) { w in
            w.u32(trackID); w.u32(1); w.u32(0); w.u32(0); w.u32(0)
        }
    }

    private static func trackHeader(_ w: inout MP4BoxWriter, trackID: UInt32, isAudio: Bool, width: Int, height: Int) {
        w.fullBox("tkhd", version: 0, flags: 0x3) { w in   // enabled, in movie
            w.u32(0); w.u32(0); w.u32(trackID); w.u32(0); w.u32(0)
            w.zeros(8)
            w.u16(0); w.u16(0)                   // layer, alternate_group
            w.u16(isAudio ? 0x0100 : 0); w.u16(0)
            w.unityMatrix()
            w.u32(UInt32(width) << 16); w.u32(UInt32(height) << 16)
        }
    }

    private static func mediaHeader(_ w: inout MP4BoxWriter, timescale: UInt32, handler: String, name: String) {
        w.fullBox("mdhd", version: 0, flags: 0) { w in
            w.u32(0); w.u32(0); w.u32(timescale); w.u32(0)
            w.u16(0x55C4)  // 'und'
            w.u16(0)
        }
        w.fullBox("hdlr", version: 0, flags: 0) { w in
            w.u32(0); w.fourCC(handler); w.zeros(12)
            w.bytes(Array(name.utf8) + [0])
        }
    }

    private static func dataInformation(_ w: inout MP4BoxWriter) {
        w.box("dinf") { w in
            w.fullBox("dref", version: 0, flags: 0) { w in
                w.u32(1)
                w.fullBox("url ", version: 0, flags: 1) { _ in }  // media in the same file
            }
        }
    }

    private static func emptySampleTables(_ w: inout MP4BoxWriter) {
        w.fullBox("stts", version: 0, flags: 0) { w in w.u32(0) }
        w.fullBox("stsc", version: 0, flags: 0) { w in w.u32(0) }
        w.fullBox("stsz", version: 0, flags: 0) { w in w.u32(0); w.u32(0) }
        w.fullBox("stco", version: 0, flags: 0) { w in w.u32(0) }
    }

    private static func videoTrack(_ w: inout MP4BoxWriter, _ p: CodecParameters) {
        w.box("trak") { w in
            trackHeader(&w, trackID: videoTrackID, isAudio: false, width: p.width, height: p.height)
            w.box("mdia") { w in
                mediaHeader(&w, timescale: videoTimescale, handler: "vide", name: "GBShare video")
                w.box("minf") { w in
                    w.fullBox("vmhd", version: 0, flags: 1) { w in w.zeros(8) }
                    dataInformation(&w)
                    w.box("stbl") { w in
                        w.fullBox("stsd", version: 0, flags: 0) { w in
                            w.u32(1)
                            visualSampleEntry(&w, p)
                        }
                        emptySampleTables(&w)
                    }
                }
            }
        }
    }

    /// 14496-12 12.1.3 VisualSampleEntry + 14496-15 avcC / hvcC.
    private static func visualSampleEntry(_ w: inout MP4BoxWriter, _ p: CodecParameters) {
        let isHEVC = p.codec == .h265
        w.box(isHEVC ? "hvc1" : "avc1") { w in
            w.zeros(6); w.u16(1)                     // reserved, data_reference_index
            w.zeros(16)                              // pre_defined, reserved
            w.u16(UInt16(clamping: p.width)); w.u16(UInt16(clamping: p.height))
            w.u32(0x0048_0000); w.u32(0x0048_0000)   // 72 dpi
            w.u32(0); w.u16(1)                       // reserved, frame_count
            w.zeros(32)                              // compressorname
            w.u16(0x0018); w.u16(0xFFFF)             // depth, pre_defined -1
            w.box(isHEVC ? "hvcC" : "avcC") { w in
                w.bytes(isHEVC ? DecoderConfigurationRecord.hevc(p) : DecoderConfigurationRecord.avc(p))
            }
        }
    }

    private static func audioTrack(_ w: inout MP4BoxWriter, _ codec: MediaCodec) {
        w.box("trak") { w in
            trackHeader(&w, trackID: audioTrackID, isAudio: true, width: 0, height: 0)
            w.box("mdia") { w in
                mediaHeader(&w, timescale: audioTimescale, handler: "soun", name: "GBShare audio")
                w.box("minf") { w in
                    w.fullBox("smhd", version: 0, flags: 0) { w in w.u32(0) }
                    dataInformation(&w)
                    w.box("stbl") { w in
                        w.fullBox("stsd", version: 0, flags: 0) { w in
                            w.u32(1)
                            // 14496-12 12.2.3 AudioSampleEntry; 'alaw'/'ulaw' as QuickTime and ffmpeg name G.711.
                            w.box(codec == .g711u ? "ulaw" : "alaw") { w in
                                w.zeros(6); w.u16(1)
                                w.zeros(8)
                                w.u16(1); w.u16(16)   // channelcount, samplesize
                                w.u16(0); w.u16(0)
                                w.u32(audioTimescale << 16)
                            }
                        }
                        emptySampleTables(&w)
                    }
                }
            }
        }
    }
}
