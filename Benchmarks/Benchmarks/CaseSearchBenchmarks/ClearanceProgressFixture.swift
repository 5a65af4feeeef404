import ChuqingDomain
import ChuqingPersistence
import SQLKit

// Issue 5's benchmark: progress of a batch over a store of 1,000,000 cases with 2,500,000
// payments and 2,500,000 measures spread over them. Two batches: 第一批任务 with 400 cases (100
// of them resumed as 执恢 and closed, each with payments and measures on the successor too), and a
// large one of 10,000 cases.

let paymentCount = caseCount * 5 / 2

/// The two batches' ids (ids are UUIDs since issue 15).
let batchIDs = ["00000000-0000-4000-c000-000000000001", "00000000-0000-4000-c000-000000000002"]

/// A UUID-shaped id for row `expression` of a generated table, `group` telling the tables apart
/// (ids are read back as UUIDs since issue 15).
func generatedID(_ group: String, _ expression: String, sqlite: Bool) -> String {
    sqlite
        ? "printf('00000000-0000-4000-\(group)-%012d', \(expression))"
        : "format('00000000-0000-4000-\(group)-%s', lpad((\(expression))::text, 12, '0'))"
}
let measureCount = caseCount * 5 / 2

/// Adds the clearance data to a generated case store unless it is there already.
func generateClearanceData(_ database: Database) async throws {
    let sql = database.sql
    struct N: Decodable { let n: Int }
    let measures = try await sql.raw("SELECT COUNT(*) AS n FROM measures").first(decoding: N.self)?.n ?? 0
    let payments = try await sql.raw("SELECT COUNT(*) AS n FROM payments").first(decoding: N.self)?.n ?? 0
    if measures == measureCount + 200 && payments == paymentCount + 100 { return }
    for table in ["batch_cases", "clearance_batches", "measures", "payments"] {
        try await sql.raw("DELETE FROM \(unsafeRaw: table)").run()
    }
    try await sql.raw("DELETE FROM enforcement_cases WHERE resumed_from_id IS NOT NULL").run()
    let sqlite = database.engine == .sqlite
    // n(i) = 1…count, in each engine's dialect.
    func series(_ count: Int) -> String {
        sqlite
            ? "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count)) SELECT i FROM n"
            : "SELECT i FROM generate_series(1::bigint, \(count)) AS i"  // bigint: i * 104729 passes 2^31
    }
    let caseOf = { (expression: String) in generatedID("8000", expression, sqlite: sqlite) }
    let day =
        sqlite
        ? "printf('2026-%02d-%02d', 1 + i % 11, 1 + i % 28)"
        : "format('2026-%s-%s', lpad((1 + i % 11)::text, 2, '0'), lpad((1 + i % 28)::text, 2, '0'))"
    let now = sqlite ? "0" : "now()"
    let groups = ["p": "a000", "m": "a001", "q": "a002", "n": "a003", "o": "a004"]
    let id = { (prefix: String) in generatedID(groups[prefix]!, "i", sqlite: sqlite) }
    try await sql.raw(
        """
        INSERT INTO payments (id, case_id, amount_fen, received_on, method, recorded_at)
        SELECT \(unsafeRaw: id("p")), \(unsafeRaw: caseOf("1 + (i * 7919) % \(caseCount)")), 10000 + i % 50000, \(unsafeRaw: day), 'voluntary', \(unsafeRaw: now)
        FROM (\(unsafeRaw: series(paymentCount))) AS s
        """
    ).run()
    try await sql.raw(
        """
        INSERT INTO measures (id, case_id, kind, taken_on, persons, item_count, amount_fen, document_number, recorded_at)
        SELECT \(unsafeRaw: id("m")), \(unsafeRaw: caseOf("1 + (i * 104729) % \(caseCount)")),
               CASE i % 3 WHEN 0 THEN 'search' WHEN 1 THEN 'summons' ELSE 'vehicleSeizure' END, \(unsafeRaw: day),
               CASE WHEN i % 3 < 2 THEN 1 + i % 3 END, CASE WHEN i % 3 = 2 THEN 1 END, NULL, 'doc', \(unsafeRaw: now)
        FROM (\(unsafeRaw: series(measureCount))) AS s
        """
    ).run()
    try await sql.raw(
        """
        INSERT INTO clearance_batches (id, name, court_code, starts_on, deadline, target_cases, created_at)
        VALUES ('\(unsafeRaw: batchIDs[0])', '第一批任务', '赣0732', '2026-01-01', '2026-12-31', 400, \(unsafeRaw: now)),
               ('\(unsafeRaw: batchIDs[1])', '大批次', '赣0732', '2026-01-01', '2026-12-31', 10000, \(unsafeRaw: now))
        """
    ).run()
    // 第一批任务: every 2,500th case; the large batch: every 100th case, offset by 50.
    try await sql.raw(
        """
        INSERT INTO batch_cases (batch_id, case_id, team, added_at, open_case_id)
        SELECT '\(unsafeRaw: batchIDs[0])', \(unsafeRaw: caseOf("i * \(caseCount / 400)")), 'general', \(unsafeRaw: now), \(unsafeRaw: caseOf("i * \(caseCount / 400)"))
        FROM (\(unsafeRaw: series(400))) AS s
        """
    ).run()
    try await sql.raw(
        """
        INSERT INTO batch_cases (batch_id, case_id, team, added_at, open_case_id)
        SELECT '\(unsafeRaw: batchIDs[1])', \(unsafeRaw: caseOf("(i - 1) * \(caseCount / 10_000) + 50")), 'general', \(unsafeRaw: now),
               \(unsafeRaw: caseOf("(i - 1) * \(caseCount / 10_000) + 50"))
        FROM (\(unsafeRaw: series(10_000))) AS s
        """
    ).run()
    // 100 of 第一批任务's cases resumed as 执恢 and closed as fully enforced, with a payment and a
    // measure each on the successor.
    let successor = generatedID("b000", "i", sqlite: sqlite)
    let number = sqlite ? "printf('（2026）赣0732执恢%d号', i)" : "format('（2026）赣0732执恢%s号', i)"
    try await sql.raw(
        """
        INSERT INTO enforcement_cases (id, case_number, court_code, filed_on, closed_on, status, judgment_id, applicants, target_fen,
            imported_performed_fen, resumed_from_id, created_at, updated_at)
        SELECT \(unsafeRaw: successor), \(unsafeRaw: number), '赣0732', '2026-03-01', '2026-06-01', 'fullyEnforced', 'j1', '申请人', 100000, 0,
               \(unsafeRaw: caseOf("i * \(caseCount / 400)")), \(unsafeRaw: now), \(unsafeRaw: now)
        FROM (\(unsafeRaw: series(100))) AS s
        """
    ).run()
    try await sql.raw(
        """
        INSERT INTO payments (id, case_id, amount_fen, received_on, method, recorded_at)
        SELECT \(unsafeRaw: id("q")), \(unsafeRaw: successor), 100000, '2026-05-20', 'deduction', \(unsafeRaw: now) FROM (\(unsafeRaw: series(100))) AS s
        """
    ).run()
    try await sql.raw(
        """
        INSERT INTO measures (id, case_id, kind, taken_on, persons, document_number, recorded_at)
        SELECT \(unsafeRaw: id("n")), \(unsafeRaw: successor), 'detention', '2026-04-01', 1, 'doc', \(unsafeRaw: now) FROM (\(unsafeRaw: series(100))) AS s
        """
    ).run()
    try await sql.raw(
        """
        INSERT INTO measures (id, case_id, kind, taken_on, persons, document_number, recorded_at)
        SELECT \(unsafeRaw: id("o")), \(unsafeRaw: caseOf("i * \(caseCount / 400)")), 'search', '2026-04-02', 2, 'doc', \(unsafeRaw: now)
        FROM (\(unsafeRaw: series(100))) AS s
        """
    ).run()
    try await sql.raw(database.engine == .postgres ? "VACUUM ANALYZE" : "ANALYZE").run()
}
