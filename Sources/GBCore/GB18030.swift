import Foundation
#if canImport(CoreFoundation)
import CoreFoundation
#endif

/// GB 18030 text, the charset Chinese spreadsheets (Excel "CSV") and GB/T 28181 devices write.
/// Foundation on Linux returns nil for the GB2312 and GBK encodings, but its GB 18030 converter
/// works both ways, and GB 18030 is a superset of both (identical bytes for their characters).
public enum GB18030 {
    public static let encoding = String.Encoding(rawValue: CFStringConvertEncodingToNSStringEncoding(
        CFStringEncoding(CFStringEncodings.GB_18030_2000.rawValue)))

    public static func decode(_ bytes: some Collection<UInt8>) -> String? {
        String(data: Data(bytes), encoding: encoding)
    }

    public static func encode(_ text: String) -> [UInt8]? {
        text.data(using: encoding).map { Array($0) }
    }
}
