import Yams

/// Decodes the `alerts:` block: the user's alert levels, each optional. Which keys exist, what
/// each may be and the order of warn and critical all come from `ThresholdSchema`.
struct AlertsDecoder {
    let reader: YAMLReader

    func decode(_ node: Node) throws -> AlertThresholds {
        let groups = Self.groups
        let f = try reader.mapping(node, "alerts", allowed: groups.map(\.key))
        var alerts = AlertThresholds()
        // Where each level was written, for the error that names it.
        var written: [ThresholdField: Node] = [:]
        for (key, descriptors) in groups {
            guard let n = f[key] else { continue }
            let path = f.path(key)
            if descriptors.count == 1 && descriptors[0].path.count == 1 {
                try read(descriptors[0], n, path, into: &alerts)
                written[descriptors[0].field] = n
                continue
            }
            let extra = Self.estimatorKeys[key] ?? []
            let m = try reader.mapping(n, path, allowed: descriptors.map { $0.path[1] } + extra)
            if key == "correlated_exposure" { try readEstimator(m, into: &alerts) }
            for d in descriptors {
                guard let leaf = m[d.path[1]] else { continue }
                try read(d, leaf, m.path(d.path[1]), into: &alerts)
                written[d.field] = leaf
            }
        }
        // The schema's one validation, over the levels as a whole (each was in bounds as read).
        if let problem = ThresholdSchema.problem(in: alerts) {
            let at: ThresholdField
            switch problem {
            case .outOfBounds(let field, _): at = field
            case .warnBelowCritical(_, let warn, let critical): at = written[warn] == nil ? critical : warn
            }
            throw reader.error(written[at] ?? node, ThresholdSchema.words(problem, in: alerts, naming: .fileKeys))
        }
        return alerts
    }

    /// Keys beside the levels that are not levels: how the feed's correlation is estimated.
    static let estimatorKeys = ["correlated_exposure": ["sample", "window"]]

    private func readEstimator(_ m: Fields, into alerts: inout AlertThresholds) throws {
        if let sample = m["sample"] {
            let text = try reader.text(sample, m.path("sample"))
            guard let ms = parseDurationMilliseconds(text), ms > 0, ms <= 366 * 86_400_000 else {
                throw reader.error(sample, "\(m.path("sample")) must be a duration from 1ms to 366d, like 1m, 30s or 1h (got \(text))")
            }
            alerts.correlatedExposure.sampleMs = ms
        }
        if let window = m["window"] {
            let n = try reader.number(window, m.path("window"), "a whole number from 30 to 100000") {
                $0 >= 30 && $0 <= 100_000 && $0 == $0.rounded()
            }
            alerts.correlatedExposure.window = Int(n)
        }
    }

    /// The schema's levels grouped by their key under `alerts:`, in file order.
    static var groups: [(key: String, descriptors: [ThresholdDescriptor])] {
        var result: [(key: String, descriptors: [ThresholdDescriptor])] = []
        for d in ThresholdSchema.descriptors {
            if let i = result.firstIndex(where: { $0.key == d.path[0] }) {
                result[i].descriptors.append(d)
            } else {
                result.append((d.path[0], [d]))
            }
        }
        return result
    }

    private func read(_ d: ThresholdDescriptor, _ node: Node, _ path: String, into alerts: inout AlertThresholds) throws {
        let value: ThresholdValue
        if let bound = d.bound {
            value = .number(try reader.number(node, path, bound.words, bound.contains))
        } else {
            value = .action(try reader.choice(node, path, as: SoftStopAction.self))
        }
        alerts = d.applying(value, to: alerts)
    }
}
