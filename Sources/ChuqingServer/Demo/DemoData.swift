import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation

/// The demo data `make run` loads (`chuqing demo load`): one login per role, for trying Chuqing
/// out. Never loaded unless asked for, and marked `is_demo` so it can be recognised.
public enum DemoData {
    /// A demo login as printed for the person trying Chuqing.
    public struct Login: Sendable {
        public let username: String
        public let password: String
        public let role: Role
        public let displayName: String
    }

    /// One login per role. The passwords are public: demo databases only.
    public static let logins: [Login] = [
        Login(username: "admin", password: "admin-demo-2026", role: .admin, displayName: "系统管理员"),
        Login(username: "director", password: "director-demo-2026", role: .director, displayName: "陈局长"),
        Login(username: "judge", password: "judge-demo-2026", role: .judge, displayName: "李法官"),
        Login(username: "clerk", password: "clerk-demo-2026", role: .clerk, displayName: "刘书记员"),
        Login(username: "liaison", password: "liaison-demo-2026", role: .liaison, displayName: "钟专员"),
        Login(username: "auditor", password: "auditor-demo-2026", role: .auditor, displayName: "周审计"),
    ]

    /// The township the demo liaison is bound to (高兴镇).
    /// (Demo judge 李法官 is `judge`; the other demo judges are listed by `otherJudges`.)
    public static let liaisonTownship = "360732-05"

    /// The demo township's villages (高兴镇; the demo addresses use these names) and the village
    /// liaison and assisting enforcer working in two of them (same password as `liaison`).
    public static let villages = ["上村", "下村", "中村", "新村"]
    public static let otherLiaisons: [(username: String, name: String, kind: LiaisonKind, village: String)] = [
        ("liaison2", "曾联络员", .villageLiaison, "上村"),
        ("liaison3", "黄网格员", .assistant, "中村"),
    ]

    /// The other judges of the demo campaign (login `judge2`…, same password as `judge`).
    public static var otherJudges: [(username: String, name: String)] {
        DemoCases.judges.dropFirst().enumerated().map { ("judge\($0.offset + 2)", $0.element) }
    }

    /// Loads the demo logins and the demo campaign unless they are there already; returns whether
    /// anything was loaded.
    @discardableResult
    public static func load(into accounts: AccountService, database: Database, now: Date = Date(), home: URL? = nil) async throws -> Bool {
        if try await accounts.hasDemoData() { return false }
        for login in logins {
            try await accounts.createUser(
                NewUser(
                    username: login.username, displayName: login.displayName, role: login.role.rawValue,
                    township: login.role == .liaison ? liaisonTownship : nil, password: login.password,
                    officePhone: login.role == .judge ? "0797-5321001" : nil,
                    // the judge's and the director's reminders reach the demo gateway (make run)
                    mobile: login.role == .judge ? "13807970001" : login.role == .director ? "13807970009" : nil),
                isDemo: true, by: .commandLine)
        }
        for (index, judge) in otherJudges.enumerated() {
            try await accounts.createUser(
                NewUser(
                    username: judge.username, displayName: judge.name, role: "judge", township: nil,
                    password: "judge-demo-2026", officePhone: "0797-532100\(index + 2)"),
                isDemo: true, by: .commandLine)
        }
        var villageIDs: [String: String] = [:]
        for name in villages {
            let village = try await VillageRepository(database: database).add(
                name: name, townshipCode: liaisonTownship,
                audit: AuditEntry(
                    occurredAt: now, actorID: nil, actorUsername: "演示数据", action: "village.add", entity: "township",
                    entityID: liaisonTownship, detail: name),
                now: now)
            villageIDs[name] = village.id
        }
        for liaison in otherLiaisons {
            try await accounts.createUser(
                NewUser(
                    username: liaison.username, displayName: liaison.name, role: "liaison", township: liaisonTownship,
                    password: "liaison-demo-2026", liaisonKind: liaison.kind.rawValue, village: villageIDs[liaison.village]),
                isDemo: true, by: .commandLine)
        }
        let report = try await CaseImporter(database: database).run(
            DemoCases.records(until: min(DemoCases.lastFiling, ShanghaiClock.today(now))), actorID: nil, actorUsername: "演示数据", now: now,
            today: ShanghaiClock.today(now))
        // Some payments recorded in Chuqing, on top of what the "export" said was performed.
        let cases = try await CaseRepository(database: database).search(CaseFilter(), limit: 200, after: nil).items
        var random = SplitMix64(seed: 7)
        for summary in cases where summary.unperformed.fen > 100_000 && random.next(upTo: 100) < 25 {
            let filed = summary.filedOn
            let amount = Money(fen: Int64(random.next(upTo: UInt64(summary.unperformed.fen / 2))) / 100 * 100 + 100)
            let on = min(filed.adding(months: 1 + Int(random.next(upTo: 6))), ShanghaiClock.today(now))
            guard on >= filed else { continue }  // never a payment dated in the future
            _ = try await CaseRepository(database: database).addPayment(
                caseID: summary.id.databaseText,
                try Payment(amount: amount, receivedOn: on, method: .voluntary, filedOn: filed, today: ShanghaiClock.today(now)),
                author: .init(id: nil, username: "演示数据"),
                audit: AuditEntry(
                    occurredAt: now, actorID: nil, actorUsername: "演示数据", action: "case.payment", entity: "case",
                    entityID: summary.id.databaseText, detail: "演示数据"),
                now: now)
        }
        precondition(report.rowsRejected == 0, "demo rows must all be valid: \(report.rejections.prefix(3))")
        try await loadBatch(database: database, now: now)
        let root = try ResourceLocator.home(configured: home)
        let calendar = try WorkingDayCalendar.load(root.appendingPathComponent("Templates/calendar/working-days.csv"))
        try await loadList(
            database: database, now: now,
            notices: NoticeRendering(templates: try DocumentTemplates(directory: root.appendingPathComponent("Templates/documents"))),
            calendar: calendar)
        try await loadNetwork(database: database, now: now, calendar: calendar)
        try await loadExtract(database: database, now: now)
        try await loadOfficials(database: database, now: now, calendar: calendar, root: root)
        try await loadSettlements(database: database, now: now, calendar: calendar)
        return true
    }

    /// The public-officials team midway (issue 18 item 7): one push within its 30 days, one past
    /// them and due for escalation, one escalated to 纪委监委 and 组织部, one performed after the
    /// employer's push; the rest of the officials are still to push.
    static func loadOfficials(database: Database, now: Date, calendar: WorkingDayCalendar, root: URL) async throws {
        let notices = NoticeRendering(templates: try DocumentTemplates(directory: root.appendingPathComponent("Templates/documents")))
        let officials = OfficialService(
            database: database, cases: CaseService(database: database, calendar: calendar, now: { now }), settings: PushSettings(),
            render: notices.officialLetterXML, now: { now })
        let today = ShanghaiClock.today(now)
        let candidates = try await officials.candidates(by: .commandLine)
        let cases = CaseService(database: database, calendar: calendar, now: { now })
        for (candidate, daysAgo) in zip(candidates, [10, 45, 60, 50]) {
            let push = try await officials.push(
                .init(caseID: candidate.caseID, debtorID: candidate.debtorID, recipient: nil, sentOn: today.adding(days: -daysAgo)),
                by: .commandLine)
            if daysAgo == 60 { _ = try await officials.escalate(pushID: push.id, on: today.adding(days: -25), by: .commandLine) }
            if daysAgo == 50 {
                // The employer talked to the debtor, who paid in full after the deadline.
                let current = try await cases.visibleCase(id: candidate.caseID, by: .commandLine)
                _ = try await cases.recordPayment(
                    caseID: candidate.caseID, amount: current.summary.unperformed, receivedOn: today.adding(days: -8), method: .voluntary,
                    by: .commandLine)
            }
        }
        _ = try await officials.reviewOverdue(by: .scheduler)
    }

    /// The 和解推进组 midway (issue 18 item 7): five settlements on cases in enforcement — three
    /// performing (one with a guarantor who promised direct enforcement, one with an acceleration
    /// clause), one in breach of its second instalment, one performed, which closed its case as
    /// 执行完毕. Days count back from `now`, so the stages hold whenever the demo is loaded.
    static func loadSettlements(database: Database, now: Date, calendar: WorkingDayCalendar) async throws {
        let cases = CaseService(database: database, calendar: calendar, now: { now })
        let settlements = SettlementService(database: database, cases: cases, now: { now })
        let today = ShanghaiClock.today(now)
        var filter = CaseFilter()
        filter.status = .inEnforcement
        let open = try await cases.search(filter, limit: 200, after: nil, by: .commandLine).items.filter {
            $0.unperformed.fen >= 1_000_000 && $0.filedOn <= today.adding(days: -120)
        }
        struct Plan {
            let agreedAgo: Int
            /// days from today of each instalment, and which were paid (days from today)
            let dues: [Int]
            let paidAgo: [Int]
            var guarantor: String? = nil
            var acceleration = false
        }
        let plans = [
            Plan(agreedAgo: 20, dues: [-12, 18, 48], paidAgo: [13]),
            Plan(agreedAgo: 10, dues: [20, 50, 80], paidAgo: [], guarantor: "兴国县某建筑工程有限公司"),
            Plan(agreedAgo: 40, dues: [-30, 30, 60], paidAgo: [31], acceleration: true),
            Plan(agreedAgo: 75, dues: [-60, -30, 0], paidAgo: [61]),
            Plan(agreedAgo: 90, dues: [-80, -50], paidAgo: [80, 49]),
        ]
        for (summary, plan) in zip(open, plans) {
            // The applicant gives up part: the schedule is 60 % of what is left, in equal parts
            // (the last takes the rounding).
            let total = summary.unperformed.fen * 6 / 10 / 100 * 100
            let part = total / Int64(plan.dues.count) / 100 * 100
            let amounts = plan.dues.indices.map { $0 == plan.dues.count - 1 ? total - part * Int64(plan.dues.count - 1) : part }
            let settlement = try await settlements.create(
                .init(
                    caseID: summary.id, agreedOn: today.adding(days: -plan.agreedAgo), filing: .bothFiled,
                    terms: "被执行人分 \(plan.dues.count) 期支付 \(Money(fen: total).formatted)，申请执行人放弃其余请求（演示数据）",
                    instalments: zip(plan.dues, amounts).map { Instalment(dueOn: today.adding(days: $0), amount: Money(fen: $1)) },
                    guarantor: plan.guarantor, guarantorPromise: plan.guarantor != nil, acceleration: plan.acceleration),
                by: .commandLine)
            for (index, ago) in plan.paidAgo.enumerated() {
                _ = try await cases.recordPayment(
                    caseID: settlement.caseID, amount: Money(fen: amounts[index]), receivedOn: today.adding(days: -ago),
                    method: .settlementInstalment, by: .commandLine)
            }
        }
    }

    /// The county's public-resources centre hands over its list of unpaid contracts as a file
    /// rather than answering through the exchange: its category is answered by that extract, so
    /// the demo shows both connectors.
    static func loadExtract(database: Database, now: Date) async throws {
        let debtors = try await DemoSeedQueries(database: database).terminatedDebtors(limit: 40)
        var csv = "证件号码,姓名或名称,财产种类,描述,标识,价值（元）,权利人\n"
        for (index, debtor) in debtors.enumerated() where index % 4 == 0 {
            csv +=
                "\(debtor.id_number),\(debtor.name),应收政府款项,兴国县某乡村道路工程合同尾款（未支付）,XGCG-2025-\(String(format: "%03d", index + 1)),\(18_000 + index * 1_250).00,\(debtor.name)\n"
        }
        _ = try await SnapshotImport.load(
            Data(csv.utf8), category: "publicResources", fileName: "公共资源交易中心-应付款-演示.csv",
            extractedOn: ShanghaiClock.today(now).adding(days: -7), loadedBy: "演示数据", actorID: nil,
            database: database, now: now)
        let repository = AssetLookupRepository(database: database)
        guard var category = try await repository.catalogue().first(where: { $0.code == "publicResources" }) else { return }
        category.connector = .snapshot
        _ = try await repository.save(
            category, isNew: false,
            audit: AuditEntry(
                occurredAt: now, actorID: nil, actorUsername: "演示数据", action: "category.change", entity: "data_category",
                entityID: category.code,
                detail: "由数据提取文件答复"))
    }

    /// The township network at work in 高兴镇: leads from its liaisons (one answered, one past its
    /// 7 days), two household visits to one debtor, and a debtor of another township whom a judge
    /// asked 高兴镇 to look for.
    static func loadNetwork(database: Database, now: Date, calendar: WorkingDayCalendar) async throws {
        let logins = try await demoLogins(["liaison", "liaison2", "judge"], database: database)
        func user(_ name: String) -> UUID? { logins[name] }
        guard let commissioner = user("liaison"), let village = user("liaison2"), let judge = user("judge") else { return }
        func audit(_ action: String, _ id: String) -> AuditEntry {
            AuditEntry(occurredAt: now, actorID: nil, actorUsername: "演示数据", action: action, entity: "debtor", entityID: id, detail: "演示数据")
        }
        let leads = LeadRepository(database: database)
        var debtors = try await leads.debtors(township: liaisonTownship)
        guard debtors.count >= 3 else { return }
        // The overdue lead (the plan's first) is about a debtor of the demo judge's own cases, so
        // 李法官's home page shows it under 已逾期 and the scheduler reminds him of it. The second
        // and third debtors keep their places (the visits and the portrait are theirs).
        let judgeName = Self.logins.first { $0.username == "judge" }?.displayName
        if !debtors[0].cases.contains(where: { $0.judgeName == judgeName }),
            let own = debtors.indices.dropFirst(3).first(where: { debtors[$0].cases.contains { $0.judgeName == judgeName } })
        {
            debtors.swapAt(0, own)
        }
        let today = ShanghaiClock.today(now)
        let day: TimeInterval = 86_400
        let plan: [(debtor: Int, liaison: UUID, daysAgo: Int, kind: Lead.Kind, text: String, place: String, urgent: Bool)] = [
            (0, commissioner, 10, .vehicle, "他家院子里停着一辆白色小货车，常在圩日拉货", "高兴镇圩上", false),
            (1, village, 4, .whereabouts, "春节后一直在县城建材市场帮人卸货，晚上回村住", "兴国县城建材市场", false),
            (1, commissioner, 2, .realEstate, "在村里新起了一栋三层楼房，去年底封顶", "上村三组", true),
            (2, village, 0, .income, "在镇上开了一家早餐店，生意不错", "高兴镇中心街", false),
        ]
        var stored: [StoredLead] = []
        for item in plan {
            let instant = now.addingTimeInterval(-Double(item.daysAgo) * day)
            let received = ShanghaiClock.today(instant)
            let lead = try Lead(
                kind: item.kind, text: item.text, place: item.place, seenOn: received, isUrgent: item.urgent, today: received)
            let debtor = debtors[item.debtor]
            stored.append(
                try await leads.submit(
                    lead, photos: [], debtorID: debtor.id.databaseText, liaison: item.liaison, township: liaisonTownship,
                    idempotencyKey: nil, requestHash: "demo", verifyBy: try lead.verifyBy(receivedOn: received, calendar: calendar),
                    audit: audit("lead.submit", debtor.id.databaseText), now: instant
                ).lead)
        }
        _ = try await leads.setStatus(
            id: stored[1].id.databaseText, to: .verified, reply: "已核实：本人在县城建材市场务工，已约谈并责令申报财产", outcome: nil,
            decidedBy: judge, audit: audit("lead.status", stored[1].debtorID.databaseText), now: now.addingTimeInterval(-day))
        let visits = VisitRepository(database: database)
        let visited = debtors[1]
        _ = try await visits.add(
            try Visit(
                visitedOn: today.adding(days: -20), visitors: "钟专员、上村村委刘某", foundAtHome: false,
                facts: [.whereabouts: "家人称其在外地务工，具体不详", .family: "妻子在家务农，两个孩子读小学"], note: nil, today: today),
            debtorID: visited.id.databaseText, submittedBy: commissioner, township: liaisonTownship,
            audit: audit("debtor.visit", visited.id.databaseText),
            now: now.addingTimeInterval(-20 * day))
        _ = try await visits.add(
            try Visit(
                visitedOn: today.adding(days: -3), visitors: "曾联络员", foundAtHome: true,
                facts: [
                    .whereabouts: "在县城建材市场务工，晚上回村", .currentAddress: "上村三组新建楼房", .assetsSeen: "新建三层楼房一栋",
                    .attitude: "承认欠款，称愿分期履行",
                ], note: nil, today: today),
            debtorID: visited.id.databaseText, submittedBy: village, township: liaisonTownship,
            audit: audit("debtor.visit", visited.id.databaseText),
            now: now.addingTimeInterval(-3 * day))
        // A debtor of another township, working in 高兴镇: the judge asks 高兴镇 to look for him.
        if let away = try await DemoSeedQueries(database: database).debtorOutside(township: liaisonTownship, ofJudge: judge) {
            _ = try await NetworkRepository(database: database).assign(
                debtorID: away, township: liaisonTownship, note: "据反映在高兴镇务工",
                by: judge, audit: audit("debtor.assign", away), now: now)
        }
    }

    /// The dishonest-debtor list of the demo court: a dozen adults of open 终本 cases, listed a
    /// month or two ago; 第1期 of the exposure notices published with them; one debtor has since
    /// paid in full and been deleted, so the old issue shows "该信息已依法删除" in that place and
    /// a credit-repair issue waits for the director's approval.
    static func loadList(database: Database, now: Date, notices: NoticeRendering, calendar: WorkingDayCalendar) async throws {
        let today = ShanghaiClock.today(now)
        let people = try await DemoSeedQueries(database: database).listablePersons(courtCode: "赣0732", limit: 40)
        let logins = try await demoLogins(["director", "clerk"], database: database)
        guard let director = logins["director"], let clerk = logins["clerk"] else { return }
        @Sendable func audit(_ action: String, _ id: String? = nil) -> AuditEntry {
            AuditEntry(
                occurredAt: now, actorID: nil, actorUsername: "演示数据", action: action, entity: "blacklist_entry", entityID: id,
                detail: "演示数据")
        }
        let list = BlacklistRepository(database: database)
        var entries: [BlacklistEntry] = []
        var random = SplitMix64(seed: 17)
        for (index, person) in people.enumerated() where entries.count < 12 && person.unperformed > 0 {
            let decided = today.adding(days: -30 - Int(random.next(upTo: 30)))
            guard let filed = try? CalendarDate.parse(person.filed_on), filed < decided,
                let id = try? CitizenID(person.id_number, today: today), id.isAdult(on: decided),
                let caseID = UUID(uuidString: person.case_id), let debtorID = UUID(uuidString: person.debtor_id)
            else { continue }
            // Mostly 有履行能力而拒不履行 (no term); a few 违反财产报告制度 or 违反限制消费令 (2 years).
            let circumstances = index % 5 == 3 ? [4] : index % 7 == 5 ? [1, 5] : [1]
            entries.append(
                try await list.create(
                    .init(
                        caseID: caseID, debtorID: debtorID, circumstances: circumstances, decidedOn: decided,
                        decisionNumber: "（\(decided.year)）赣0732执\(2000 + index)号之一", exemption: nil, extensionYears: 0,
                        extensionReason: nil,
                        gracePeriodMonths: index == 1 ? 3 : nil),
                    createdBy: director, audit: audit("blacklist.list"), today: today, now: now, notify: notices.notification))
        }
        let notice = NoticeRepository(database: database)
        let exposed = entries.filter { $0.publishableFrom <= today }
        guard !exposed.isEmpty else { return }
        let issue = try await notice.compose(
            kind: .blacklist, entryIDs: exposed.map(\.id.databaseText), corrects: nil, composedBy: clerk,
            audit: { audit("notice.compose", $0) }, today: today, now: now)
        _ = try await notice.approve(
            id: issue.id.databaseText, approvedBy: director, audit: audit("notice.approve", issue.id.databaseText), today: today, now: now,
            check: { header, items in _ = try notices.noticeXML(header, items) })
        _ = try await notice.publish(
            id: issue.id.databaseText, publishedBy: clerk, audit: audit("notice.publish", issue.id.databaseText), today: today, now: now,
            render: { header, items in try notices.noticeXML(header, items) })
        // One debtor pays the rest today: the deletion trigger follows by itself, then the deletion.
        guard let paid = exposed.first(where: { $0.expiresOn == nil }),
            let detail = try await CaseRepository(database: database).detail(id: paid.caseID.databaseText)
        else { return }
        _ = try await CaseRepository(database: database).addPayment(
            caseID: paid.caseID.databaseText,
            try Payment(
                amount: detail.summary.unperformed, receivedOn: today, method: .voluntary, filedOn: detail.summary.filedOn, today: today),
            author: .init(id: nil, username: "演示数据"), audit: audit("case.payment"), now: now)
        try await list.recordTriggersShownByCase(
            caseID: paid.caseID.databaseText, on: today, calendar: calendar,
            audit: { entry, _ in audit("blacklist.trigger", entry.id.databaseText) })
        _ = try await list.markDeleted(
            entryID: paid.id.databaseText, on: today, audit: audit("blacklist.delete", paid.id.databaseText), today: today, now: now,
            notify: notices.notification)
        _ = try await notice.compose(
            kind: .creditRepair, entryIDs: [paid.id.databaseText], corrects: nil, composedBy: clerk,
            audit: { audit("notice.compose", $0) }, today: today, now: now)
    }

    /// 第一批任务: the older 终本 cases of 兴国县人民法院, started 75 days ago with 45 days to go;
    /// some resumed as 执恢 and cleared with a payment, measures taken, as a campaign looks midway.
    static func loadBatch(database: Database, now: Date) async throws {
        let today = ShanghaiClock.today(now)
        let system = HistoryAuthor(id: nil, username: "演示数据")
        func audit(_ action: String) -> AuditEntry {
            AuditEntry(occurredAt: now, actorID: nil, actorUsername: "演示数据", action: action, entity: "batch", entityID: nil, detail: "演示数据")
        }
        guard let directorID = try await demoLogins(["director"], database: database)["director"] else { return }
        let clearance = ClearanceRepository(database: database)
        let start = today.adding(days: -75)
        let batch = try await clearance.create(
            name: "第一批任务", courtCode: "赣0732", startsOn: start, deadline: today.adding(days: 45), targetCases: 120,
            targetRecoveredFen: 5_000_000_000, createdBy: directorID, audit: audit("batch.create"), now: now)
        var filter = BatchCaseFilter()
        filter.filedBefore = today.adding(months: -24)
        _ = try await clearance.addCases(
            batchID: batch.id.databaseText, .filter(filter), team: nil, addedBy: directorID, audit: audit("batch.add_cases"), now: now)

        let members = try await DemoSeedQueries(database: database).members(batchID: batch.id.databaseText)
        let cases = CaseRepository(database: database)
        var random = SplitMix64(seed: 2026)
        var sequence = 1000
        for member in members {
            guard let filed = try? CalendarDate.parse(member.filed_on) else { continue }
            let judge = member.judge_id.flatMap(UUID.init(uuidString:))
            let roll = random.next(upTo: 100)
            // Measures on about two cases in five: searches, summons, detentions, seized vehicles.
            if roll < 40 {
                let kinds: [(MeasureKind, Int)] = [
                    (.search, 3), (.summons, 2), (.detention, 1), (.vehicleSeizure, 1), (.consumptionRestriction, 1),
                ]
                let (kind, most) = kinds[Int(random.next(upTo: UInt64(kinds.count)))]
                let figure = 1 + Int(random.next(upTo: UInt64(most)))
                let on = start.adding(days: Int(random.next(upTo: 70)))
                // A detention names its person and act (民事诉讼法 art. 118): the case's first debtor,
                // or for a company its legal representative.
                let isUnit = member.debtor_kind != DebtorKind.person.rawValue
                let sanction =
                    kind == .detention
                    ? Measure.SanctionPart(
                        subject: SanctionSubject(
                            debtorID: isUnit ? nil : UUID(uuidString: member.debtor_id),
                            name: isUnit ? "\(member.debtor_name)法定代表人" : member.debtor_name,
                            kind: .individual, deputyLevel: nil),
                        act: "拒不报告财产", days: 5 + Int(random.next(upTo: 10)), deputyPermission: nil) : .empty
                let measure = try Measure(
                    kind: kind, on: on, persons: kind.quantity == .persons && kind != .detention ? figure : nil,
                    count: kind.quantity == .count ? figure : nil, amountFen: nil,
                    documentNumber: "（\(on.year)）赣0732执\(kind == .search ? "搜" : "惩")\(sequence)号", sanction: sanction, filedOn: filed,
                    today: today)
                _ = try await clearance.recordMeasure(
                    caseID: member.case_id, measure, judgeID: judge, author: system,
                    audit: audit("case.measure"), now: now)
            }
            // Resumed as 执恢 for about one case in three; most of those paid and closed for good.
            guard roll < 33, member.unperformed > 0 else { continue }
            sequence += 1
            let resumedOn = start.adding(days: Int(random.next(upTo: 50)))
            let number = try CaseNumber("（\(resumedOn.year)）赣0732执恢\(sequence)号")
            let successor = try await cases.resume(
                caseID: member.case_id, as: number, on: resumedOn, author: system,
                audit: audit("case.resume"), now: now)
            guard roll < 26, successor.summary.unperformed.fen > 0 else { continue }
            let paidOn = min(resumedOn.adding(days: 3 + Int(random.next(upTo: 20))), today)
            _ = try await cases.addPayment(
                caseID: successor.summary.id.databaseText,
                try Payment(
                    amount: successor.summary.unperformed, receivedOn: paidOn, method: roll < 10 ? .settlementInstalment : .deduction,
                    filedOn: successor.summary.filedOn, today: today),
                author: system,
                audit: audit("case.payment"), now: now)
            _ = try await cases.transition(
                caseID: successor.summary.id.databaseText, to: .fullyEnforced, on: paidOn,
                reason: roll < 10 ? "和解协议履行完毕" : "执行款已全部到位", conditions: nil, author: system,
                audit: audit("case.transition"), now: now)
        }
    }

    /// The ids of the demo logins `usernames` (those that exist), by user name.
    static func demoLogins(_ usernames: [String], database: Database) async throws -> [String: UUID] {
        var ids: [String: UUID] = [:]
        for name in usernames {
            if let stored = try await UserRepository().find(username: try Username(name), on: database.sql) {
                ids[name] = stored.user.id
            }
        }
        return ids
    }
}
