/// What an API key may do; a key carries one or more (the keys file's second field).
public enum APIScope: String, Sendable, CaseIterable, Comparable {
    /// `POST /v1/explain` and `POST /v1/card`: explain leads the caller sends.
    case explain
    /// `GET /v1/leads/{id}/…`: explain leads of the profile's data file by id.
    case leads
    /// `GET /metrics`.
    case metrics

    public static func < (lhs: APIScope, rhs: APIScope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
