import Fairlead
import HummingbirdCore
import FairleadCore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `fairlead serve`: explanations over HTTP for CRMs (docs/service.md).
///
///     let configuration = ServeConfiguration(profilePath: "fixtures/profiles/leads-explanations.yaml")
///     try await FairleadServer.run(configuration, logger: Logger(label: "fairlead.serve"))
///
/// The profile, its model and the keys file are loaded before the port is bound, and a
/// service never starts on what does not load. SIGTERM and SIGINT stop accepting
/// connections and finish the requests in flight; SIGHUP loads everything again and
/// swaps it in whole, or keeps the old and logs why.
public enum FairleadServer {
    /// The application answering from `service`, for `run` and for tests.
    public static func application(_ service: ExplanationService, logger: Logger,
                                   onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in })
        -> some ApplicationProtocol {
        let configuration = service.configuration
        let router = Router(context: ServeRequestContext.self)
        router.add(middleware: ServeMiddleware(service: service, logger: logger))
        let handlers = ServeHandlers(service: service)
        for route in ServeRoute.allCases {
            router.on(route.routerPath, method: route.method) { request, context in
                try await handlers.respond(route, request, context)
            }
        }
        let limits = configuration.limits
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes, maxHeaderFieldCount: 100)
        let metrics = service.metrics
        // OneAnswerHandler first: what it drops once a connection is closing (the parser's
        // refusals of bytes after the last answer) is no malformed request to log and count.
        let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [OneAnswerHandler(),
                                                                           MalformedRequestHandler(metrics: metrics, logger: logger)],
                                               idleTimeout: .milliseconds(Int64(limits.idleTimeout * 1000)),
                                               httpDecoderConfiguration: decoder)
        return Application(router: router, server: .http1(configuration: http1),
                           configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                                   serverName: nil),
                           onServerRunning: { channel in
                               await onListening(configuration.host, channel.localAddress?.port ?? configuration.port)
                           },
                           logger: logger)
    }

    /// Loads the profile and serves until SIGTERM or SIGINT.
    ///
    /// - Throws: `FairleadError(.usage)` for a non-loopback host without an API keys
    ///   file, or an allowed host that is no host name or address; the profile's, model's, data's and keys file's errors, before binding.
    public static func run(_ configuration: ServeConfiguration, logger: Logger,
                           onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) async throws {
        guard configuration.apiKeysPath != nil || configuration.bindsLoopback else {
            throw FairleadError(.usage, "serving on \(configuration.host), beyond loopback, needs an API keys file (--api-keys)")
        }
        if let problem = configuration.allowedHosts.lazy.compactMap(HostAllowList.problem(allowedHost:)).first {
            throw FairleadError(.usage, problem)
        }
        let service = ExplanationService(configuration: configuration, loaded: try LoadedProfile(configuration))
        warnOfUndeclaredSensitive(service.current, logger: logger)
        let app = application(service, logger: logger, onListening: onListening)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: HangupReload(service: service, logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

/// Reloads the profile, model and keys on each SIGHUP until shutdown.
struct HangupReload: Service {
    let service: ExplanationService
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            do {
                try service.reload()
                logger.notice("reloaded the profile, model and keys", metadata: ["profile": "\(service.current.profile.name)"])
                warnOfUndeclaredSensitive(service.current, logger: logger)
            } catch {
                logger.error("reload failed; still serving the profile loaded before", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Logs the features withheld from reasons because they are named like sensitive
/// attributes that the profile does not declare (``LeadExplanations/undeclaredSensitive``).
func warnOfUndeclaredSensitive(_ loaded: LoadedProfile, logger: Logger) {
    if let warning = loaded.explanations.undeclaredSensitiveWarning(options: .profile) {
        logger.warning("\(warning)", metadata: ["profile": "\(loaded.profile.name)"])
    }
}
