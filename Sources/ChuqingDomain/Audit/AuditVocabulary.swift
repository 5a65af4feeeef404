/// The audit log's actions and records as a person reads them (issue 16 item 16): the log keeps
/// stable English verbs for programs, and every screen and export shows these labels.
public enum AuditVocabulary {
    /// Every action the services write, with its label, in the order the filter lists them.
    public static let actions: [(code: String, label: String)] = [
        ("session.login", "登录"), ("session.login_failed", "登录失败"), ("session.logout", "退出登录"),
        ("user.create", "新增用户"), ("user.disable", "停用用户"), ("user.enable", "启用用户"),
        ("user.password_change", "修改密码"), ("user.office_phone", "修改办公电话"), ("user.mobile", "修改接收提醒的手机号"),
        ("cases.import", "导入案件"), ("case.create", "新增案件"), ("case.update", "修改案件"),
        ("case.transition", "变更案件状态"), ("case.resume", "恢复执行（立执恢）"), ("case.payment", "登记到位款"),
        ("case.payment_reversal", "冲销到位款"), ("case.measure", "登记执行措施"),
        ("measure.reconsideration", "登记罚款/拘留复议申请"), ("measure.reconsideration.decided", "登记复议决定"),
        ("official.push", "向工作单位发出通报函"), ("official.reply", "登记单位回执或回复"), ("official.escalate", "移送纪委监委、组织部"),
        ("settlement.create", "登记执行和解"), ("settlement.resume", "和解违约后恢复执行"),
        ("debtor.update", "修改被执行人"), ("debtor.photo", "上传被执行人照片"), ("debtor.assign", "指派乡镇"),
        ("debtor.unassign", "结束乡镇指派"), ("debtor.visit", "登记走访"),
        ("batch.create", "新建批次"), ("batch.add_cases", "批次加入案件"), ("batch.close", "结束批次"),
        ("blacklist.list", "纳入失信名单"), ("blacklist.trigger", "记录删除事由"), ("blacklist.trigger_withdrawn", "撤回删除事由"),
        ("blacklist.delete", "删除失信信息"), ("blacklist.procedure", "启动撤销、更正、纠正申请或复议"),
        ("blacklist.decide", "对撤销、更正、纠正申请或复议作出决定"),
        ("notice.compose", "编排公告"), ("notice.approve", "审批公告"), ("notice.publish", "发布公告"), ("notice.discard", "撤回公告草稿"),
        ("lead.submit", "报送线索"), ("lead.status", "处理线索"), ("tip.status", "处理举报"),
        ("lookup.start", "发起财产查询"), ("lookup.approve", "批准财产查询"), ("lookup.refuse", "不批准财产查询"),
        ("lookup.retry", "重新查询"), ("lookup.told", "告知申请执行人查询结果"), ("snapshot.load", "载入共享数据"),
        ("category.add", "新增数据类别"), ("category.change", "修改数据类别"),
        ("village.add", "新增村（社区）"), ("village.import", "导入村（社区）"),
        ("job.retry", "重新运行定时任务"),
    ]

    private static let actionLabels = Dictionary(actions.map { ($0.code, $0.label) }, uniquingKeysWith: { first, _ in first })

    /// The action's label; an action this version does not know (an older row) shows as written.
    public static func label(action code: String) -> String { actionLabels[code] ?? code }

    private static let entityLabels = [
        "batch": "批次", "blacklist_entry": "失信信息", "case": "案件", "data_category": "数据类别", "debtor": "被执行人",
        "import": "导入", "lead": "线索", "notice_issue": "公告", "tip": "举报", "township": "乡镇", "user": "用户",
        "session": "会话", "asset_lookup": "财产查询", "payment": "到位款", "snapshot": "共享数据",
        "job": "定时任务",
    ]

    /// The record kind's label, or the code when this version does not know it.
    public static func label(entity code: String) -> String { entityLabels[code] ?? code }
}
