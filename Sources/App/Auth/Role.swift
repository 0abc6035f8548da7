import Sharing

/// The roles live in Sharing, where every permission decision is made; App and the command line
/// keep naming them `Role`.
public typealias Role = Sharing.Role
