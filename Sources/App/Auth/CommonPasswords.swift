/// Passwords that meet the length and character-class rules and are still the first an attacker tries:
/// from the published top lists of leaked passwords (English and Chinese sites: 1qaz2wsx, woaini1314, Admin@123
/// and the like) and the defaults of video equipment and platforms. Compared case-insensitively.
enum CommonPasswords {
    static func contains(_ password: String) -> Bool {
        list.contains(password.lowercased())
    }

    private static let list: Set<String> = [
        "password1", "password12", "password123", "password!", "password@1", "passw0rd", "p@ssw0rd", "p@ssword", "p@ssw0rd1",
        "p@55w0rd", "pa$$w0rd", "passw0rd!", "passw0rd1", "password1!", "password@123",
        "admin123", "admin1234", "admin12345", "admin@123", "admin#123", "admin!123", "admin_123", "admin@1234", "admin888",
        "admin@888", "adminadmin1", "administrator1", "root1234", "root@123", "root123456", "toor1234",
        "abc12345", "abc123456", "abcd1234", "abcd@1234", "abc@1234", "abc123!@#", "a1234567", "a12345678", "a123456789",
        "aa123456", "aa12345678", "aaa123456", "qq123456", "q1w2e3r4", "q1w2e3r4t5", "qwer1234", "qwe12345", "qwerty12",
        "qwerty123", "qwerty1!", "qwe123!@#", "qwe@1234", "1qaz2wsx", "1qaz@wsx", "1qaz!qaz", "1q2w3e4r", "1q2w3e4r5t",
        "zaq12wsx", "zaq1xsw2", "!qaz2wsx", "1qazxsw2", "asdf1234", "asd12345", "zxcv1234", "1234qwer", "1234abcd",
        "12345678a", "123456789a", "12345qwert", "123qwe!@#", "123qweasd", "123456aa", "123456abc", "1234567a",
        "iloveyou1", "woaini1314", "woaini520", "5201314a", "wang1234", "zhang123", "li123456", "welcome1", "welcome123",
        "letmein1", "monkey123", "dragon123", "sunshine1", "football1", "baseball1", "master123", "superman1", "trustno1",
        "changeme1", "changeme123", "test1234", "test@123", "test12345", "guest123", "user1234", "user@123", "demo1234",
        "hik12345", "hik123456", "hikvision1", "hikvision123", "dahua123", "dahua@123", "uniview1", "12345678abc",
        "system123", "system@123", "manager1", "manager123", "server123", "video123", "camera123", "gbshare1", "gbshare123",
    ]
}
