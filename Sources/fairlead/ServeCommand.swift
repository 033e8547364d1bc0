import ArgumentParser
import Fairlead
import FairleadServe
import Foundation
import Logging

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Explain leads over HTTP, for CRMs: the reasons of `fairlead explain`, one lead at a time.",
        discussion: """
            Loads the profile's model, explanations and reference rows, then answers \
            POST /v1/explain (a lead's values as JSON, or {"leads": [...]}), \
            GET /v1/leads/{id}/explanation (a lead of the profile's data file), \
            POST /v1/card and GET /v1/leads/{id}/card (the HTML card fragment), \
            GET /healthz, /readyz, /metrics (Prometheus) and /openapi.json. \
            The reasons never name a sensitive attribute or a proxy, as with explain.

              fairlead serve --profile fixtures/profiles/leads-explanations.yaml
              fairlead serve --profile leads.yaml --host 0.0.0.0 --port 8080 --api-keys keys.txt

            Binds to loopback unless --host says otherwise; beyond loopback it needs \
            --api-keys: a file of key names, scopes (explain, leads, metrics) and the \
            keys' SHA-256 hashes (docs/service.md). A request whose Host header is not \
            localhost, 127.0.0.1, [::1], --host or an --allowed-host is answered 421. SIGTERM or SIGINT: stop accepting and \
            finish the requests in flight. SIGHUP: load the profile, model and keys again; \
            a reload that fails keeps the old ones and logs why. Logs (standard error) \
            carry request ids, routes, statuses and latencies, never a lead's id or values.

            Exit codes: 0 stopped by a signal; 2 a profile, model, data or keys file that \
            does not load, or bad usage; 3 internal error.
            """
    )

    @Option(help: "The audit profile (YAML or JSON) naming the model, its explanations and its data.")
    var profile: String

    @Option(help: "The address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "The port (0: any free port, printed at startup).")
    var port: Int = 8080

    @Option(help: "The API keys file: name, scopes and sha256:<hash> per line (docs/service.md#keys).")
    var apiKeys: String?

    @Option(name: .customLong("allowed-host"),
            help: ArgumentHelp("A name requests may address the service by, beyond localhost, 127.0.0.1, [::1] and --host (repeatable): the name a reverse proxy passes on as Host.",
                               valueName: "name"))
    var allowedHosts: [String] = []

    @Option(help: "The largest request body, in bytes.")
    var maxBodyBytes: Int = ServeLimits().maxBodyBytes

    @Option(help: "The most leads in one request.")
    var maxBatch: Int = ServeLimits().maxBatch

    @Option(help: "The largest request header block, in bytes.")
    var maxHeaderBytes: Int = ServeLimits().maxHeaderBytes

    @Option(help: "Seconds a request may take before it is answered 503.")
    var requestTimeout: Double = ServeLimits().requestTimeout

    @Option(help: "Seconds an idle connection is kept open.")
    var idleTimeout: Double = ServeLimits().idleTimeout

    @Option(help: "Requests per second per key on average, to the API and again to /metrics, each from its own bucket (0: no rate limit).")
    var rate: Double = ServeLimits().ratePerSecond

    @Option(help: "Requests a key may make at once (each token bucket's size).")
    var burst: Int = ServeLimits().burst

    @Option(help: "Threads per explanation (1: requests run side by side instead).")
    var explainThreads: Int = 1

    @Option(help: "trace | debug | info | notice | warning | error | critical")
    var logLevel: String = "info"

    @OptionGroup var profileReading: ProfileReadingOptions

    func validate() throws {
        guard !CommandLineValidation.skipped else { return }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535, found \(port)") }
        guard explainThreads >= 1 else { throw ValidationError("--explain-threads must be at least 1, found \(explainThreads)") }
        if let problem = limits.problems.first { throw ValidationError(problem) }
        if let problem = allowedHosts.lazy.compactMap(HostAllowList.problem(allowedHost:)).first { throw ValidationError(problem) }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// The limits the options give.
    var limits: ServeLimits {
        var limits = ServeLimits()
        limits.maxBodyBytes = maxBodyBytes
        limits.maxBatch = maxBatch
        limits.maxHeaderBytes = maxHeaderBytes
        limits.requestTimeout = requestTimeout
        limits.idleTimeout = idleTimeout
        limits.ratePerSecond = rate
        limits.burst = burst
        return limits
    }

    func run() throws {
        var configuration = ServeConfiguration(profilePath: profile, reading: profileReading.reading)
        configuration.host = host
        configuration.port = port
        configuration.apiKeysPath = apiKeys
        configuration.allowedHosts = allowedHosts
        configuration.threads = explainThreads
        configuration.limits = limits
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = TerminalSafeLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "fairlead.serve")
        let outcome = _Outcome()
        let finished = DispatchSemaphore(value: 0)
        Task {
            do {
                try await FairleadServer.run(configuration, logger: logger) { host, port in
                    writeToStandardError("fairlead serve: listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
                }
            } catch {
                outcome.error = error
            }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error { throw error }
    }
}

/// The error the server task ended with, handed to the waiting main thread.
private final class _Outcome: @unchecked Sendable {
    var error: (any Error)?
}
