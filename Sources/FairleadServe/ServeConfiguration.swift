import Fairlead

/// Everything `fairlead serve` is started with.
public struct ServeConfiguration: Sendable {
    /// The audit profile naming the model, its explanations and its data.
    public var profilePath: String
    /// How the profile's paths are confined and bounded (the CLI's profile options).
    public var reading: ProfileReading
    /// The address bound: loopback unless told otherwise.
    public var host = "127.0.0.1"
    /// The port bound (0: one the system picks, logged at startup).
    public var port = 8080
    /// The API keys file (`--api-keys`); nil: no keys, allowed on a loopback address only.
    public var apiKeysPath: String?
    /// Names beyond loopback and `host` that requests may address the service by, in
    /// their `Host` header (`--allowed-host`): the names a reverse proxy passes on, or
    /// the machine's name when bound to a wildcard address (``HostAllowList``).
    public var allowedHosts: [String] = []
    /// Bounds on requests.
    public var limits = ServeLimits()
    /// Threads each explanation may use (1: requests run side by side instead).
    public var threads = 1

    /// A configuration for `profilePath` with the defaults.
    public init(profilePath: String, reading: ProfileReading = ProfileReading()) {
        self.profilePath = profilePath
        self.reading = reading
    }

    /// Whether `host` names the loopback interface only.
    public var bindsLoopback: Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }
}
