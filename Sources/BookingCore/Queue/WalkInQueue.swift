import Foundation

/// The walk-in line, as a value: the pure core of the queue's part of `WaitlistActor`.
///
/// Invariants: walk-ins are never removed; line order is check-in order (id order, as ids are
/// handed out in the order people check in); only `waiting` walk-ins are in line, `serving` ones
/// are on the board after them.
public struct WalkInQueue: Hashable, Sendable {
    public private(set) var walkIns: [WalkInID: WalkIn] = [:]

    public init() {}

    /// A queue read back from a snapshot; throws on an id twice, a serving walk-in without its
    /// barber and appointment.
    public init(restoring list: [WalkIn]) throws(StateInconsistency) {
        for walkIn in list {
            guard walkIns.updateValue(walkIn, forKey: walkIn.id) == nil else {
                throw StateInconsistency("walk-in \(walkIn.id) appears twice")
            }
            if walkIn.status == .serving, walkIn.barberID == nil || walkIn.appointmentID == nil {
                throw StateInconsistency("walk-in \(walkIn.id) is served without a barber or appointment")
            }
        }
    }

    public var isEmpty: Bool { walkIns.isEmpty }

    public var ordered: [WalkIn] { walkIns.values.sorted { $0.id < $1.id } }

    /// Who waits, in line order.
    public var line: [WalkIn] { ordered.filter { $0.status == .waiting } }

    /// What the board shows: the line, then who is being served.
    public var board: [WalkIn] { line + ordered.filter { $0.status == .serving } }

    public func walkIn(_ id: WalkInID) -> Result<WalkIn, BookingError> {
        walkIns[id].map { .success($0) } ?? .failure(.notFound("walk-in \(id) not found"))
    }

    public func decideCheckIn(_ walkIn: WalkIn) -> Result<QueueChange, BookingError> {
        let name = walkIn.name.trimmingCharacters(in: .whitespaces)
        if name.isEmpty || walkIn.name.count > 200 { return .failure(.validationFailed("name must be 1 to 200 characters")) }
        precondition(walkIns[walkIn.id] == nil, "walk-in id \(walkIn.id) reused")
        return .success(.checkedIn(walkIn))
    }

    /// The walk-in `id` if it can start now: only from `waiting`.
    public func decideStart(_ id: WalkInID) -> Result<WalkIn, BookingError> {
        walkIn(id).flatMap { walkIn in
            walkIn.status == .waiting ? .success(walkIn) : .failure(.invalidState("walk-in \(id) is \(walkIn.status.rawValue)"))
        }
    }

    /// Done: only while serving. Left: only while waiting.
    public func decideFinish(_ id: WalkInID, left: Bool) -> Result<QueueChange, BookingError> {
        walkIn(id).flatMap { walkIn in
            let from: WalkInStatus = left ? .waiting : .serving
            guard walkIn.status == from else {
                return .failure(.invalidState("walk-in \(id) is \(walkIn.status.rawValue), not \(from.rawValue)"))
            }
            return .success(left ? .left(id) : .done(id))
        }
    }

    /// Carries out a change (live or from the log). Preconditions as for `Waitlist.apply`.
    @discardableResult
    public mutating func apply(_ change: QueueChange) -> WalkIn {
        switch change {
        case .checkedIn(let walkIn):
            precondition(walkIns[walkIn.id] == nil && walkIn.status == .waiting, "walk-in \(walkIn.id) checked in twice")
            walkIns[walkIn.id] = walkIn
            return walkIn
        case .started(let id, let barberID, let appointmentID):
            return update(id, from: .waiting) {
                $0.status = .serving
                $0.barberID = barberID
                $0.appointmentID = appointmentID
            }
        case .done(let id):
            return update(id, from: .serving) { $0.status = .done }
        case .left(let id):
            return update(id, from: .waiting) { $0.status = .left }
        }
    }

    private mutating func update(_ id: WalkInID, from status: WalkInStatus, _ body: (inout WalkIn) -> Void) -> WalkIn {
        guard var walkIn = walkIns[id] else { preconditionFailure("walk-in \(id) missing") }
        precondition(walkIn.status == status, "walk-in \(id) cannot change from \(walkIn.status)")
        body(&walkIn)
        walkIns[id] = walkIn
        return walkIn
    }
}

extension WalkInQueue: Codable {
    public init(from decoder: any Decoder) throws {
        do {
            try self.init(restoring: try decoder.singleValueContainer().decode([WalkIn].self))
        } catch let inconsistency as StateInconsistency {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: inconsistency.reason))
        }
    }

    /// Walk-ins by id: the canonical form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ordered)
    }
}
