/// A hash map from byte strings to ids, keyed by UTF-8 bytes.
///
/// Swift `String` hashing uses canonical equivalence ("é" == "e\u{301}"), which would merge distinct
/// vocabulary entries; this table compares bytes. Keys live in one pool, so lookups from a buffer
/// allocate nothing.
struct ByteTable: Sendable {
    private var pool: [UInt8] = []
    private var starts: [Int32] = []   // per entry
    private var lengths: [Int32] = []
    private var values: [Int32] = []
    /// Per slot: hash tag (high 32 bits) and entry index + 1 (low 32 bits); 0 = empty. The tag
    /// lets a probe reject a wrong entry without touching the pool (lookups are cache-miss bound).
    private var slots: [UInt64]
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        pool.reserveCapacity(capacity * 6)
        starts.reserveCapacity(capacity)
        lengths.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    var count: Int { values.count }

    @inline(__always)
    static func hash(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        // FNV-1a, folded; keys are short.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in p { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29)) & Int.max
    }

    func find(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = ByteTable.hash(p)
        let tag = UInt64(UInt32(truncatingIfNeeded: h >> 32))
        var i = h & mask
        return slots.withUnsafeBufferPointer { slots -> Int? in
            pool.withUnsafeBufferPointer { pool -> Int? in
                while true {
                    let e = slots[i]
                    if e == 0 { return nil }
                    if e >> 32 != tag { i = (i + 1) & mask; continue }
                    let entry = Int(e & 0xFFFF_FFFF) - 1
                    let len = Int(lengths[entry])
                    if len == p.count {
                        let start = Int(starts[entry])
                        var equal = true
                        var k = 0
                        while k < len {
                            if pool[start + k] != p[k] { equal = false; break }
                            k += 1
                        }
                        if equal { return Int(values[entry]) }
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    func find<C: Collection>(bytes: C) -> Int? where C.Element == UInt8 {
        if let r = bytes.withContiguousStorageIfAvailable({ find($0) }) { return r }
        return Array(bytes).withUnsafeBufferPointer { find($0) }
    }

    func find(_ s: String) -> Int? {
        var s = s
        return s.withUTF8 { find($0) }
    }

    /// Inserts `key → value`; returns the previous value when the key was present (and keeps it).
    @discardableResult
    mutating func insert(_ p: UnsafeBufferPointer<UInt8>, value: Int) -> Int? {
        if let old = find(p) { return old }
        if values.count * 2 >= slots.count { grow() }
        let entry = values.count
        starts.append(Int32(pool.count))
        lengths.append(Int32(p.count))
        values.append(Int32(value))
        pool.append(contentsOf: p)
        place(entry, hash: ByteTable.hash(p))
        return nil
    }

    @discardableResult
    mutating func insert(_ s: String, value: Int) -> Int? {
        var s = s
        return s.withUTF8 { insert($0, value: value) }
    }

    private mutating func place(_ entry: Int, hash: Int) {
        var i = hash & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = UInt64(UInt32(truncatingIfNeeded: hash >> 32)) << 32 | UInt64(entry + 1)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for entry in 0..<values.count {
            let start = Int(starts[entry]), len = Int(lengths[entry])
            let h = pool.withUnsafeBufferPointer { ByteTable.hash(UnsafeBufferPointer(rebasing: $0[start..<start + len])) }
            place(entry, hash: h)
        }
    }
}

/// A hash map from a pair of token ids to a merge (rank and resulting id), open addressing.
struct PairTable: Sendable {
    private var keys: [UInt64]
    private var vals: [UInt64]
    private var mask: Int
    private(set) var count = 0
    private static let empty = UInt64.max

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: PairTable.empty, count: size)
        vals = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }

    @inline(__always)
    private static func slot(_ k: UInt64) -> Int {
        let h = k &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h >> 20)
    }

    /// (rank, new id) of merging `a` then `b`, if that merge exists.
    @inline(__always)
    func get(_ a: Int32, _ b: Int32) -> (rank: Int32, id: Int32)? {
        let k = PairTable.key(a, b)
        return keys.withUnsafeBufferPointer { keys -> (rank: Int32, id: Int32)? in
            var i = PairTable.slot(k) & mask
            while true {
                let kk = keys[i]
                if kk == k {
                    let v = vals[i]
                    return (Int32(truncatingIfNeeded: v >> 32), Int32(truncatingIfNeeded: v & 0xFFFF_FFFF))
                }
                if kk == PairTable.empty { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// Sets the merge; a pair given twice keeps its last rank, as the reference does.
    mutating func set(_ a: Int32, _ b: Int32, rank: Int32, id: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        let k = PairTable.key(a, b)
        let v = UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: id))
        var i = PairTable.slot(k) & mask
        while true {
            if keys[i] == k { vals[i] = v; return }
            if keys[i] == PairTable.empty { keys[i] = k; vals[i] = v; count += 1; return }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldVals = vals
        let size = keys.count * 2
        keys = [UInt64](repeating: PairTable.empty, count: size)
        vals = [UInt64](repeating: 0, count: size)
        mask = size - 1
        count = 0
        for (i, k) in oldKeys.enumerated() where k != PairTable.empty {
            let a = Int32(bitPattern: UInt32(k >> 32)), b = Int32(bitPattern: UInt32(k & 0xFFFF_FFFF))
            let v = oldVals[i]
            set(a, b, rank: Int32(truncatingIfNeeded: v >> 32), id: Int32(truncatingIfNeeded: v & 0xFFFF_FFFF))
        }
    }
}
