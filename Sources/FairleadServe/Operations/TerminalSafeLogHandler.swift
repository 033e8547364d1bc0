import FairleadCore
import Logging

/// A log handler that passes on only visible text: the message, every metadata key and
/// value (inside arrays and dictionaries too), the handler's own metadata, its provider's,
/// and an error's description are made visible by ``TerminalEscaping`` before `wrapped`
/// writes them.
///
///     let logger = Logger(label: "fairlead.serve") { label in
///         TerminalSafeLogHandler(StreamLogHandler.standardError(label: label))
///     }
///     logger.info("request", metadata: ["key": "ev\u{1B}[31mil"])   // … key=ev\x1B[31mil request
///
/// A log line quotes what callers and files supplied (a key's name, an error's message
/// naming a profile's value): read on a terminal or through `journalctl`, an escape
/// sequence in it would act on the reader's terminal, and a line break would forge a line.
public struct TerminalSafeLogHandler<Wrapped: LogHandler>: LogHandler {
    /// The handler that writes the lines.
    public private(set) var wrapped: Wrapped

    /// A handler writing through `wrapped`, whose metadata so far is made visible too.
    public init(_ wrapped: Wrapped) {
        self.wrapped = wrapped
        self.wrapped.metadata = Self.visible(wrapped.metadata)
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = Self.visible(newValue) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: TerminalEscaping.visible(key)] }
        set { wrapped[metadataKey: TerminalEscaping.visible(key)] = newValue.map(Self.visible) }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue.map { provider in Logger.MetadataProvider { Self.visible(provider.get()) } } }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: TerminalEscaping.visible(event.message.description))
        var metadata = event.metadata.map(Self.visible)
        if let error = event.error {
            // Written by the wrapped handler as it is otherwise: its message, made visible.
            metadata = (metadata ?? [:]).merging(
                ["error.message": .string(TerminalEscaping.visible("\(error)")),
                 "error.type": .string(TerminalEscaping.visible(String(reflecting: type(of: error))))]) { _, error in error }
            event.error = nil
        }
        event.metadata = metadata
        event.source = TerminalEscaping.visible(event.source)
        wrapped.log(event: event)
    }

    static func visible(_ metadata: Logger.Metadata) -> Logger.Metadata {
        Dictionary(metadata.map { (TerminalEscaping.visible($0.key), visible($0.value)) }) { first, _ in first }
    }

    static func visible(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): return .string(TerminalEscaping.visible(text))
        case .stringConvertible(let text): return .string(TerminalEscaping.visible(text.description))
        case .array(let values): return .array(values.map(visible))
        case .dictionary(let metadata): return .dictionary(visible(metadata))
        }
    }
}
