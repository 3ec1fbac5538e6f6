# tocsin 简体中文消息。中文用 UCS-2 编码：一条短信 70 字，两条 134 字。
language-name = 中文

kind-raid = 移民突击搜查
kind-eviction = 强制驱逐
kind-police = 警察行动
kind-other = 紧急情况
label-unconfirmed = 未确认
label-confirmed = 已确认
label-false-alarm = 误报
label-all-clear = 警报解除
label-drill = 演习
need = 需要{ $n }人。
alert-near-zone = { $head }: { $zone }附近{ $what }。{ $need }回复Y{ $id }=来（会收到确切地点） N{ $id }=不行 HERE{ $id }=到了
alert-near-point = { $head }: { $link } 1公里内{ $what }。{ $need }回复Y{ $id }=来（会收到确切地点） N{ $id }=不行 HERE{ $id }=到了
false-alarm = { $head }: 不是{ $what }。请不要前往。谢谢。
answer-coming-exact = 谢谢：已记录你会去 #{ $id }。确切地点：{ $link } 注意安全。

alert-first = { $head }: { $what } { $link } { $need }回复Y{ $id }=来 N{ $id }=不行 HERE{ $id }=到了
alert-first-zone = { $head }: { $zone }附近{ $what } { $link } { $need }回复Y{ $id }=来 N{ $id }=不行 HERE{ $id }=到了
all-clear = { $head }: { $what }警报结束。谢谢。
update = { $head } 最新消息：{ $text }（Y{ $id } N{ $id } HERE{ $id }）
correction = 更正：{ $text }

report-ack = 已收到，谢谢（报告 { $report }）。正在通知或核实。
answer-coming = 谢谢：已记录你会去 #{ $id }。注意安全。
answer-cant = 已记录：你不能去 #{ $id }。
answer-on-scene = 已记录：你在 #{ $id } 现场。注意安全。
answer-maybe = 已记录：#{ $id } 你可能会去。如果去，请回复Y{ $id }。
no-open-alert = 现在没有可以回复的警报。
help = { $network }：发送你看到的情况和地点即可报告。志愿者：回复Y、N或HERE（#26回复Y26）；暂停、恢复、状态、区域、退订。发送加入成为志愿者。
# 拨打热线（issue 17）：由Twilio语音朗读，所以简短、不用符号。
voice-choose = 中文请按 { $digit }。发短信请按 9。
voice-connecting = 正在为你接通调度员，请不要挂断。
voice-record = 现在没有人能接听。请在提示音后说明发生了什么、在哪里。说完请按井号键。
voice-no-answer = 没有人接听。
voice-thanks = 谢谢。调度员会听你的留言。再见。
voice-text = 请给这个号码发短信，说明发生了什么、在哪里。再见。
voice-text-sent = 请改为给这个号码发短信。我们正在用短信告诉你怎么做。再见。
voice-whisper = { $network } 热线来电，事件 { $id }。来电者选择了 { $language }。
subscription-stopped = 你将不再收到警报。回复 开始 即可重新接收。
subscription-started = 欢迎回来：你将重新收到警报。回复 停止 即可停止。
# 像 STOP、START 一样停止或重新开始所有消息的词（用逗号分隔）。
opt-out-words = 退订, 停止, 取消, 退出
opt-in-words = 开始, 订阅

join-start = 欢迎加入{ $network }！请回复语言编号：{ $menu }
join-retry-language = 请回复列表中的编号：{ $menu }
join-ask-area = 你负责哪个区域？请回复街区名称或邮政编码，或分享你的位置。
join-retry-area = 没有找到这个区域。请回复街区名称或邮政编码，或分享你的位置。
join-ask-confirm = 你将用中文收到{ $area }的警报。回复 是 确认。
join-retry-confirm = 回复 是 确认，或回复STOP取消。
join-done = 你现在是{ $area }的志愿者。用Y、N或HERE回复警报。随时可发PAUSE、STATUS或STOP。
join-ended = 未能完成登记。发送 加入 重试。
join-already = 你已经是志愿者。发送STATUS查看你的信息。
not-volunteer = 你还不是志愿者。发送 加入 成为志愿者。

status-active = 区域：{ $area }。语言：中文。正在接收警报。
status-paused = 区域：{ $area }。语言：中文。暂停至 { $until }。
pause-ok = 警报暂停至 { $until }。发送RESUME重新接收。
pause-ok-dispatcher = 警报暂停至 { $until }。协调员也暂停了警报，恢复请联系{ $network }。
time-on-day = { $month }月{ $day }日 { $time }
resume-ok = 已恢复接收警报。谢谢。
status-paused-dispatcher = 区域：{ $area }。语言：中文。已被协调员暂停，恢复请联系{ $network }。
resume-dispatcher = 协调员暂停了你的警报，只有协调员能恢复。请联系{ $network }。
area-ok = 你的区域现在是{ $area }。
area-unknown = 没有找到区域 { $zone }。
language-ok = 你将用中文收到消息。
language-unknown = 语言：{ $menu }
resume-word = 你发送RESUME为止

verify-request = { $head } 请核实：{ $link } 可能有{ $what }。安全时才去。看到了回复CONFIRM { $id }（确认），没发现回复NOTHING { $id }（没发现）。
verify-confirmed = 谢谢：#{ $id } 已确认，正在通知该区域。
verify-not-found = 谢谢：#{ $id } 已记为未发现。
verify-already = 谢谢：#{ $id } 已有结论。

# Verifiers decide only on purpose (issue 11). The words that decide a request to check, read
# from every catalogue (comma-separated; case, accents and punctuation do not matter; never
# yes/no/1/2), and the replies to a verifier's answer.
verify-words-confirm = 确认, 属实
verify-words-nothing = 没发现, 没有发现
verify-choices = 已转给调度员。要决定#{ $id }：看到了回复CONFIRM（确认），没发现回复NOTHING（没发现）。
verify-nothing-noted = 谢谢：#{ $id } 已记下没发现，等待其他人核实。
# Vetting (issue 11): 加入者等待管理员批准，或（开放加入时）只收到区域。
alert-unvetted-zone = { $head }: { $zone }附近{ $what }。{ $need }回复Y{ $id }=来 N{ $id }=不行 HERE{ $id }=到了
alert-unvetted-point = { $head }: { $link } 1公里内{ $what }。{ $need }回复Y{ $id }=来 N{ $id }=不行 HERE{ $id }=到了
answer-coming-unvetted = 谢谢：已记录你会去 #{ $id }。确切地点只发给已批准的志愿者，请前往该区域。注意安全。
join-pending = 谢谢！协调员批准后，你将作为{ $area }的志愿者收到警报。随时可发STATUS或STOP。
status-pending = 区域：{ $area }。语言：中文。等待协调员批准：暂不接收警报。

# --- Answers and commands as people write them (issue 12, section 1) ---
answer-words-coming = 是, 好, 来, 好的, 我来, 马上来, 马上到, 在路上
answer-words-cant = 不行, 不能, 不能来, 来不了, 去不了
answer-words-here = 到了, 我到了, 已到, 到达, 在现场
answer-words-maybe = 也许, 可能, 不确定
command-words-help = 帮助
command-words-join = 加入
command-words-pause = 暂停
command-words-resume = 恢复, 继续
command-words-status = 状态
command-words-area = 区域, 地区
command-words-lang = 语言
answer-which = 哪个警报？{ $list }。请回复编号，例如 { $example }
answer-not-alerted = 你没有收到 #{ $id } 的警报。{ $open }
answer-open = 进行中：{ $list }。
unclear = 没看懂。警报：回复Y、N或HERE（#{ $id }回复Y{ $id }）。报告：什么事、在哪里。命令：帮助。
unclear-none = 没看懂。警报：回复Y、N或HERE。报告：什么事、在哪里。命令：帮助。
sighting-words = 特工, 执法人员, 逮捕, 抓人, 紧急

# --- Issue 12 §4: the reporter is asked, and hears back (keys ask-*, followup-*, reporter-*) ---
ask-where = 已收到（报告 { $report }）。在哪里？请回复地址、十字路口（Vermont and 3rd）、地点名称，或分享您的位置。
ask-what = 已收到（报告 { $report }）。发生了什么，在哪里？请回复您看到的情况和地址、十字路口或地点名称，或分享您的位置。
followup-noted = 谢谢，已加入您的报告 { $report }。调度员会阅读每条消息。
reporter-confirmed = 您的报告 { $report } 已确认（{ $what }）：正在通知志愿者。注意安全；如有变化请告诉我们。
reporter-all-clear = 报告 { $report }（{ $what }）已结束：解除警报。谢谢您的报告。
reporter-false-alarm = 报告 { $report } 已作为误报关闭。谢谢；如再看到请告诉我们。

# 只知道大致位置（一个区域、一条街）：转告报告人的原话。
verify-request-zone = { $head } 请核实：{ $zone }某处可能有{ $what }。报告：“{ $words }” 安全时才去。看到了回复CONFIRM { $id }（确认），没发现回复NOTHING { $id }（没发现）。
verify-request-around = { $head } 请核实：{ $link } 附近可能有{ $what }。报告：“{ $words }” 安全时才去。看到了回复CONFIRM { $id }（确认），没发现回复NOTHING { $id }（没发现）。
answer-coming-zone = 谢谢：已记录你会去 #{ $id }，在{ $zone }某处。报告：“{ $words }” 知道确切地点后会发短信给你。注意安全。
answer-coming-around = 谢谢：已记录你会去 #{ $id }，在{ $link } 附近。报告：“{ $words }” 知道确切地点后会发短信给你。注意安全。
place-known = { $head }: { $what }的确切地点：{ $link } 回复HERE{ $id }=到了

# --- Issue 14: dispatchers paged from their phones (keys page-*, why-*, ack-*, duty-*) ---
page = TOCSIN #{ $id } 需要调度员：{ $where }附近{ $what }："{ $words }"。{ $why }。回复 ACK{ $id }。
page-nowhere = 未知地点
why-no_verifier = 附近没有核实员
why-verifiers_silent = 核实员都未回复
why-unplaced = 尚未定位
why-flood = 热线超出上限
ack-taken = #{ $id } 由您负责，不再呼叫其他人。打开 { $link }
ack-already = #{ $id } 已由 { $name } 接手。
ack-unknown = 没有需要确认的呼叫。请回复 ACK 加编号，例如 ACK12。
duty-on = 您在值班：有报告需要调度员时 tocsin 会发短信给您。回复 DUTY OFF 结束。
duty-off = 您已下班：回复 DUTY ON 之前不会再呼叫您。
enough = #{ $id }：已有足够的人前往。请待命；如需更多人我们会再发短信。
surplus = #{ $id } 人数已够。{ $km } 公里外的 #{ $other } 还需要{ $n }人：回复 Y{ $other }。
page-flood = TOCSIN：热线超出上限（一小时 { $n } 条报告）。新报告被暂扣，不会发出警报。请查看：{ $link }

# --- Issue 18: planned mobilisations (keys mob-*): see the English catalogue.
mob-kind-eviction = 阻止驱逐
mob-kind-hearing = 法庭听证
mob-kind-lockout = 非法锁门
mob-kind-action = 行动
mob-where-place = ，地点：{ $place }
mob-where-zone = ，区域：{ $zone }
mob-text = “{ $text }”
mob-address = 地址：{ $place }。
mob-invitation = 能来吗？#{ $id } { $kind }，{ $when }{ $where }。{ $text } 回复YES{ $id }（来）、NO{ $id }（不来）或MAYBE{ $id }（不确定）。
mob-reminder = 提醒：#{ $id } { $kind }，{ $when }{ $where }。{ $text } 回复YES{ $id }获取地址；如果不能来，请回复NO{ $id }。
mob-changed = 变更：#{ $id } { $kind } 改为 { $when }{ $where }。{ $text } 回复YES{ $id }（来）、NO{ $id }（不来）或MAYBE{ $id }（不确定）。
mob-cancelled = 取消：#{ $id } { $kind } { $when } 已取消。不用来了。
mob-live = 现在：#{ $id } { $kind }{ $where }。{ $text } 到达后请回复HERE{ $id }。
mob-answered-coming = 已记录你会来：#{ $id } { $kind }，{ $when }。{ $address } 我们会提醒你。如有变化请回复NO{ $id }。
mob-answered-cant = 谢谢：已记录你不来 #{ $id }。如有变化请回复YES{ $id }。
mob-answered-maybe = 已记录：#{ $id } 你可能会来。我们会提醒你。确定后请回复YES{ $id }。
mob-answered-here = 已在 #{ $id } 签到。谢谢。
