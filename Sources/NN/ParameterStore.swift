import Tensors

/// One entry of a model's state, in PyTorch `state_dict` order.
public enum StateEntry: Sendable {
    case parameter(Parameter)
    case buffer(Buffer)
    case counter(Counter)

    /// The PyTorch state_dict key.
    public var key: String {
        switch self {
        case .parameter(let p): p.key
        case .buffer(let b): b.key
        case .counter(let c): c.key
        }
    }

    /// The shape as PyTorch reports it (counters are 0-d).
    public var shape: [Int] {
        switch self {
        case .parameter(let p): p.value.shape
        case .buffer(let b): b.value.shape
        case .counter: []
        }
    }
}

/// All state of a model, in registration order (= PyTorch `state_dict` order when layers
/// register in their `__init__` order). Keys are unique; a duplicate is a programming error.
public final class ParameterStore: @unchecked Sendable {
    /// Every entry, in order.
    public private(set) var entries: [StateEntry] = []
    private var index: [String: Int] = [:]  // lookup only, never iterated

    public init() {}

    func register(_ entry: StateEntry) {
        precondition(index[entry.key] == nil, "ParameterStore: duplicate key \(entry.key)")
        index[entry.key] = entries.count
        entries.append(entry)
    }

    /// The trainable parameters, in order.
    public var parameters: [Parameter] {
        entries.compactMap { if case .parameter(let p) = $0 { p } else { nil } }
    }

    /// The entry with `key`, if any.
    public func entry(_ key: String) -> StateEntry? { index[key].map { entries[$0] } }

    /// The total number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}

/// A key path into a `ParameterStore` (candle's `vb.pp`): `scope / "layer1" / 0`.
public struct Scope: Sendable {
    public let store: ParameterStore
    public let path: [String]

    /// The root scope of `store`.
    public init(_ store: ParameterStore) {
        self.store = store
        self.path = []
    }

    init(store: ParameterStore, path: [String]) {
        self.store = store
        self.path = path
    }

    /// A child scope.
    public static func / (scope: Scope, name: String) -> Scope {
        Scope(store: scope.store, path: scope.path + [name])
    }

    /// A child scope named by a list position, as `Sequential`/`ModuleList` do.
    public static func / (scope: Scope, index: Int) -> Scope { scope / String(index) }

    /// The dotted key of `name` in this scope.
    public func key(_ name: String) -> String { (path + [name]).joined(separator: ".") }

    /// Registers and returns a parameter named `name` here.
    public func parameter(_ name: String, _ value: Tensor) -> Parameter {
        let p = Parameter(key: key(name), value: value)
        store.register(.parameter(p))
        return p
    }

    /// Registers and returns a buffer named `name` here.
    public func buffer(_ name: String, _ value: Tensor) -> Buffer {
        let b = Buffer(key: key(name), value: value)
        store.register(.buffer(b))
        return b
    }

    /// Registers and returns an int64 counter named `name` here.
    public func counter(_ name: String) -> Counter {
        let c = Counter(key: key(name))
        store.register(.counter(c))
        return c
    }
}
