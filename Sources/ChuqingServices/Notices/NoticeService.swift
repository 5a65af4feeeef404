import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import Foundation

/// Builds a notice issue's canonical XML and validates it against `notice.xsd`; a document that
/// fails is refused (`notice_invalid`) before it is approved or published.
public typealias NoticeDocumentRenderer = @Sendable (NoticeHeader, [NoticeItem]) throws -> String

/// Notice issues (公告): the dishonest-debtor list's exposure notices and credit-repair notices,
/// composed by a clerk, approved by the director (院领导审批), then published under the court's
/// next number for the year and never edited again.
public struct NoticeService: Sendable {
    let database: Database
    let render: NoticeDocumentRenderer
    let now: @Sendable () -> Date

    public init(database: Database, render: @escaping NoticeDocumentRenderer, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.render = render
        self.now = now
    }

    var repository: NoticeRepository { NoticeRepository(database: database) }

    /// The issue `id`; `Refusal.notFound` when there is none.
    /// The published issues, newest first: what the public notice board and its feed list.
    /// Anyone may read them (a published notice is public, 失信规定 art. 7).
    public func published(limit: Int = 100) async throws -> [NoticeIssue] {
        try await repository.published(limit: limit)
    }

    /// A published issue's stored document and the entries withdrawn since (shown as withdrawn,
    /// never as listed); nil for an id that is not a published issue.
    public func publishedDocument(issueID: UUID) async throws -> (xml: String, withdrawn: [String])? {
        guard let stored = try await repository.storedXML(issueID: issueID.databaseText) else { return nil }
        return (stored, try await repository.withdrawnEntries(issueID: issueID.databaseText))
    }

    /// A person's photo in a published issue, while their entry stands.
    public func publishedPhoto(issueID: UUID, entryID: UUID) async throws -> (contentType: String, bytes: Data)? {
        try await repository.photo(issueID: issueID.databaseText, entryID: entryID.databaseText)
    }

    public func issue(id: UUID, by actor: ActingUser) async throws -> NoticeIssue {
        try actor.require(.readNotices)
        guard let issue = try await repository.issue(id: id.databaseText) else { throw Refusal.notFound }
        return issue
    }

    /// The issues, unpublished ones first, then the latest `publishedLimit` published; only
    /// published ones when `publishedOnly`.
    public func issues(publishedOnly: Bool, publishedLimit: Int = 100, by actor: ActingUser) async throws -> [NoticeIssue] {
        try actor.require(.readNotices)
        let published = try await repository.published(limit: publishedLimit)
        return publishedOnly ? published : try await repository.unpublished() + published
    }

    /// The entries that may go into an issue of `kind` today, each with the reason it may not
    /// when it may not.
    public func candidates(kind: NoticeKind, by actor: ActingUser) async throws -> [NoticeCandidate] {
        try actor.require(.readNotices)
        return try await repository.candidates(kind: kind, today: ShanghaiClock.today(now()))
    }

    /// The stored canonical XML of a published issue (the record, withdrawn entries included), or
    /// the draft as it would be published today.
    public func xml(issueID: UUID, by actor: ActingUser) async throws -> String {
        let issue = try await issue(id: issueID, by: actor)
        if let stored = try await repository.storedXML(issueID: issue.id.databaseText) { return stored }
        guard let (header, items) = try await draft(issueID: issue.id, by: actor) else { throw Refusal.notFound }
        return NoticeDocument.xml(header, items: items)
    }

    /// The draft's content as it would be published today.
    public func draft(issueID: UUID, by actor: ActingUser) async throws -> (NoticeHeader, [NoticeItem])? {
        try actor.require(.readNotices)
        return try await repository.draft(id: issueID.databaseText, date: ShanghaiClock.today(now()))
    }

    /// Composes an issue of `kind` from `entryIDs` (in that order); `corrects` names a published
    /// issue this one corrects.
    public func compose(kind: NoticeKind, entryIDs: [String], corrects: String?, by actor: ActingUser) async throws -> NoticeIssue {
        try actor.require(.composeNotices)
        let user = try actor.requireUser()
        let instant = now()
        return try await repository.compose(
            kind: kind, entryIDs: entryIDs, corrects: corrects?.trimmed.isEmpty == false ? corrects : nil, composedBy: user.id,
            audit: { id in actor.audit("notice.compose", entity: "notice_issue", id: id, detail: kind.chinese, at: instant) },
            today: ShanghaiClock.today(instant), now: instant)
    }

    /// The director approves an issue; its document must validate. Whoever composed it may not
    /// approve it: a publication naming people is read by a second person before it goes out.
    public func approve(issueID: UUID, by actor: ActingUser) async throws -> NoticeIssue {
        try actor.require(.approveNotices)
        let issue = try await issue(id: issueID, by: actor)
        let user = try actor.requireUser()
        if issue.composedBy == user.id {
            throw DomainError(
                code: "approver_is_composer", message: "这一期由您编排，须由另一位有批准权限的人员审核批准（编排与批准不得为同一人）", kind: .conflict)
        }
        let instant = now()
        let render = self.render
        return try await repository.approve(
            id: issue.id.databaseText, approvedBy: user.id,
            audit: actor.audit("notice.approve", entity: "notice_issue", id: issue.id.databaseText, detail: issue.title, at: instant),
            today: ShanghaiClock.today(instant), now: instant, check: { header, items in _ = try render(header, items) })
    }

    /// Publishes an approved issue under the court's next number for the year.
    public func publish(issueID: UUID, by actor: ActingUser) async throws -> NoticeIssue {
        try actor.require(.composeNotices)
        let issue = try await issue(id: issueID, by: actor)
        let user = try actor.requireUser()
        let instant = now()
        return try await repository.publish(
            id: issue.id.databaseText, publishedBy: user.id,
            audit: actor.audit("notice.publish", entity: "notice_issue", id: issue.id.databaseText, detail: issue.title, at: instant),
            today: ShanghaiClock.today(instant), now: instant, render: render)
    }

    /// Withdraws an unpublished issue; its entries may be composed again.
    public func discard(issueID: UUID, by actor: ActingUser) async throws {
        try actor.require(.composeNotices)
        let issue = try await issue(id: issueID, by: actor)
        try await repository.discard(
            id: issue.id.databaseText,
            audit: actor.audit("notice.discard", entity: "notice_issue", id: issue.id.databaseText, detail: issue.title, at: now()))
    }

    /// A published issue is never edited; a draft is discarded and composed anew.
    public func refuseEdit(issueID: UUID, by actor: ActingUser) async throws -> Never {
        try actor.require(.composeNotices)
        let issue = try await issue(id: issueID, by: actor)
        try issue.state.checkEditable()
        throw DomainError(
            code: "issue_not_editable", message: "公告的内容只能在编排时确定；如需修改未发布的一期，请撤回（DELETE）后重新编排", kind: .conflict)
    }
}
