import Fairlead
import FairleadCore
import Foundation

/// A profile with its model and explanations loaded: what the service answers from,
/// replaced as a whole on SIGHUP.
public struct LoadedProfile: Sendable {
    /// The profile.
    public let profile: AuditProfile
    /// The explanations (`fairlead explain`'s machinery).
    public let explanations: LeadExplanations
    /// The keys a lead's JSON object may carry (``LeadExplanations/recordKeys()``).
    public let recordKeys: Set<String>
    /// The profile's data file, when it names one: `GET /v1/leads/{id}/…` reads it.
    public let hasDataFile: Bool
    /// The API keys (nil: none needed).
    public internal(set) var keys: APIKeys?
    /// When it was loaded.
    public let loadedAt: Date

    /// Loads the profile at `configuration.profilePath`, its model and its reference rows,
    /// and the keys file.
    ///
    /// - Throws: the profile's, the model's, the data's and the keys file's errors: a
    ///   service never starts (or reloads to) what does not load.
    public init(_ configuration: ServeConfiguration) throws {
        let profile = try AuditProfile.load(path: configuration.profilePath, reading: configuration.reading)
        let explanationsSpec = profile.explanations
        // Explaining posted leads needs no data file, only reference rows.
        let dataPath = profile.data.path ?? explanationsSpec?.reference ?? profile.model?.background
        let explanations = try LeadExplanations(profile: profile, dataPath: dataPath, threads: configuration.threads,
                                                reading: configuration.reading)
        self.profile = profile
        self.explanations = explanations
        self.recordKeys = try explanations.recordKeys()
        self.hasDataFile = profile.data.path != nil
        self.keys = try configuration.apiKeysPath.map { try APIKeys(path: $0) }
        self.loadedAt = Date()
    }
}
