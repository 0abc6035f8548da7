import GBCore

/// Collects the findings of one record, stamping each with the row and code.
struct FindingSink {
    let row: Int
    let code: String
    private(set) var findings: [Finding] = []

    init(row: Int, code: String) {
        self.row = row
        self.code = code
    }

    mutating func add(_ rule: DirectoryRule, _ field: CameraField?, _ value: String, _ message: LocalizedText) {
        findings.append(Finding(row: row, code: code, field: field, rule: rule, value: value, message: message))
    }

    mutating func add(_ rule: DirectoryRule, _ field: CameraField?, _ value: String, zh: String, en: String) {
        add(rule, field, value, LocalizedText(zh: zh, en: en))
    }
}

/// Address shapes Appendix 5 asks for.
enum NetworkAddressFormat {
    /// Dotted decimal, four parts 0-255, no leading zeros beyond a single 0.
    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy({ ("0"..."9").contains($0) }),
                  let value = Int(part), value <= 255 else { return false }
            return part.count == 1 || part.first != "0"
        }
    }

    /// `xx:xx:xx:xx:xx:xx`, hexadecimal, either case.
    static func isMAC(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
    }
}
