import Crypto

/// RFC 2617 3.2.2 MD5 digest arithmetic. MD5-sess and auth-int are not used by GB devices.
public enum DigestComputation {
    public static func ha1(username: String, realm: String, password: String) -> String {
        md5Hex("\(username):\(realm):\(password)")
    }

    public static func ha2(method: String, uri: String) -> String {
        md5Hex("\(method):\(uri)")
    }

    /// With `qop` nil this is the RFC 2069 form, which devices send even when qop was offered
    /// (spec 2.2): the verifier follows the Authorization header it got.
    public static func response(
        ha1: String, nonce: String, ha2: String, qop: String? = nil, nonceCount: String? = nil, cnonce: String? = nil
    ) -> String {
        if let qop {
            return md5Hex("\(ha1):\(nonce):\(nonceCount ?? ""):\(cnonce ?? ""):\(qop):\(ha2)")
        }
        return md5Hex("\(ha1):\(nonce):\(ha2)")
    }

    /// The response the sender of `credentials` should have computed for `method` and `password`.
    public static func expectedResponse(for credentials: DigestCredentials, method: String, password: String) -> String {
        let ha1 = ha1(username: credentials.username, realm: credentials.realm, password: password)
        let ha2 = ha2(method: method, uri: credentials.uri)
        return response(ha1: ha1, nonce: credentials.nonce, ha2: ha2, qop: credentials.qop,
                        nonceCount: credentials.nonceCount, cnonce: credentials.cnonce)
    }

    static func md5Hex(_ text: String) -> String {
        hex(Insecure.MD5.hash(data: Array(text.utf8)))
    }

    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compares without an early exit, so response timing does not leak the expected digest.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<a.count { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
