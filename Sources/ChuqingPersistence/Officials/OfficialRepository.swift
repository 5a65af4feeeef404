import ChuqingDomain
import Foundation
import SQLKit

/// Debtors' standings as public officials (`debtor_standings`, migration 0028).
public struct OfficialRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The profiles of `debtorIDs`. A debtor whose export said 是否公职人员=是 and whose standings
    /// were never edited reads as a 国家工作人员 of the exported employer.
    static func profiles(debtorIDs: [String], on db: any SQLDatabase) async throws -> [String: OfficialProfile] {
        guard !debtorIDs.isEmpty else { return [:] }
        struct Debtor: Decodable {
            let id: String
            let is_public_official: Bool
            let employer: String?
            let employer_superior: String?
            let standing_verified_by: String?
        }
        struct Standing: Decodable {
            let debtor_id: String
            let standing: String
            let deputy_level: String?
        }
        let ids = SQLList(debtorIDs.map { SQLBind($0) })
        let debtors = try await db.raw(
            "SELECT id, is_public_official, employer, employer_superior, standing_verified_by FROM debtors WHERE id IN (\(ids))"
        ).all(decoding: Debtor.self)
        let standings = try await db.raw(
            "SELECT debtor_id, standing, deputy_level FROM debtor_standings WHERE debtor_id IN (\(ids))"
        ).all(decoding: Standing.self)
        var result: [String: OfficialProfile] = [:]
        for debtor in debtors {
            let own = standings.filter { $0.debtor_id == debtor.id }
            var kinds = try own.map { try Stored.value($0.standing, "debtor_standings.standing") as OfficialStanding }
            if kinds.isEmpty && debtor.is_public_official { kinds = [.stateFunctionary] }
            let level = try own.compactMap(\.deputy_level).first.map {
                try Stored.value($0, "debtor_standings.deputy_level") as DeputyLevel
            }
            result[debtor.id] = OfficialProfile(
                trusted: OfficialStanding.allCases.filter(kinds.contains), deputyLevel: level, employer: debtor.employer,
                superior: debtor.employer_superior, verifiedBy: debtor.standing_verified_by)
        }
        return result
    }

    /// The profile of one debtor (`.none` when the debtor has no standing or does not exist).
    public func profile(debtorID: String) async throws -> OfficialProfile {
        try await Self.profiles(debtorIDs: [debtorID], on: database.sql)[debtorID] ?? .none
    }

    /// Replaces the debtor's standings with `profile`, in the caller's transaction; keeps
    /// `is_public_official` true exactly when a standing is recorded.
    static func replace(debtorID: String, with profile: OfficialProfile, now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM debtor_standings WHERE debtor_id = \(bind: debtorID)").run()
        for standing in profile.standings {
            try await db.raw(
                """
                INSERT INTO debtor_standings (debtor_id, standing, deputy_level)
                VALUES (\(bind: debtorID), \(bind: standing.rawValue), \(bind: standing == .deputy ? profile.deputyLevel?.rawValue : nil))
                """
            ).run()
        }
        try await db.raw(
            """
            UPDATE debtors SET is_public_official = \(bind: profile.isOfficial), employer = \(bind: profile.employer),
                employer_superior = \(bind: profile.superior), standing_verified_by = \(bind: profile.verifiedBy), updated_at = \(bind: now)
            WHERE id = \(bind: debtorID)
            """
        ).run()
    }
}
