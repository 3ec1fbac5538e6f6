# tocsin 한국어 메시지. 한글은 UCS-2: SMS 한 통에 70자, 두 통에 134자.
language-name = 한국어

kind-raid = 이민 단속
kind-eviction = 강제 퇴거
kind-police = 경찰 출동
kind-other = 긴급 상황
label-unconfirmed = 미확인
label-confirmed = 확인됨
label-false-alarm = 오보
label-all-clear = 상황 종료
label-drill = 훈련
need = { $n }명 필요.
alert-near-zone = { $head }: { $zone } 근처 { $what }. { $need }Y{ $id }=가요(정확한 위치 안내) N{ $id }=못가요 HERE{ $id }=도착
alert-near-point = { $head }: { $link } 1km 이내 { $what }. { $need }Y{ $id }=가요(정확한 위치 안내) N{ $id }=못가요 HERE{ $id }=도착
false-alarm = { $head }: { $what } 아니었습니다. 출동을 멈춰 주세요. 감사합니다.
answer-coming-exact = 감사합니다: #{ $id }에 오시는 것으로 기록했습니다. 정확한 위치: { $link } 안전하세요.

alert-first = { $head }: { $what } { $link } { $need }Y{ $id }=가요 N{ $id }=못가요 HERE{ $id }=도착
alert-first-zone = { $head }: { $zone } 근처 { $what } { $link } { $need }Y{ $id }=가요 N{ $id }=못가요 HERE{ $id }=도착
all-clear = { $head }: { $what } 알림이 끝났습니다. 감사합니다.
update = { $head } 새 소식: { $text } (Y{ $id } N{ $id } HERE{ $id })
correction = 정정: { $text }

report-ack = 접수되었습니다. 감사합니다 (제보 { $report }). 자원봉사자에게 알리거나 확인 중입니다.
answer-coming = 감사합니다: #{ $id }에 오시는 것으로 기록했습니다. 안전하세요.
answer-cant = #{ $id }에 못 오시는 것으로 기록했습니다.
answer-on-scene = #{ $id } 현장에 계신 것으로 기록했습니다. 안전하세요.
answer-maybe = #{ $id }에 미정으로 기록했습니다. 오시면 Y{ $id } 답장하세요.
no-open-alert = 지금 답할 알림이 없습니다.
help = { $network }: 보신 것과 장소를 보내 제보하세요. 자원봉사자: 알림에 Y, N, HERE로 답하세요(#26은 Y26). 일시정지, 재개, 상태, 지역, 중지. 가입하려면 가입.
# 핫라인 전화 (issue 17): Twilio 음성이 읽으므로 짧게, 기호 없이.
voice-choose = 한국어는 { $digit }번을 누르세요. 문자로 알리려면 9번을 누르세요.
voice-connecting = 상황실 담당자에게 연결합니다. 끊지 말고 기다려 주세요.
voice-record = 지금은 전화를 받을 수 있는 사람이 없습니다. 삐 소리 후에 무슨 일이 어디에서 일어나고 있는지 말씀해 주세요. 끝나면 우물 정자를 누르세요.
voice-no-answer = 아무도 받지 못했습니다.
voice-thanks = 감사합니다. 담당자가 메시지를 듣겠습니다. 안녕히 계세요.
voice-text = 이 번호로 문자를 보내 주세요. 무슨 일이 어디에서 일어나는지 적어 주세요. 안녕히 계세요.
voice-text-sent = 대신 이 번호로 문자를 보내 주세요. 방법을 문자로 보내 드립니다. 안녕히 계세요.
voice-whisper = { $network } 핫라인 전화, 사건 { $id }. 발신자가 { $language }를 선택했습니다.
subscription-stopped = 더 이상 알림을 받지 않습니다. 다시 받으려면 시작 이라고 보내세요.
subscription-started = 다시 오신 것을 환영합니다. 알림을 다시 받습니다. 그만 받으려면 중지 라고 보내세요.
# STOP, START처럼 모든 메시지를 멈추거나 다시 시작하는 말 (쉼표로 구분).
opt-out-words = 중지, 취소, 수신거부, 그만
opt-in-words = 시작

join-start = { $network }에 오신 것을 환영합니다! 언어 번호로 답하세요: { $menu }
join-retry-language = 목록의 번호로 답해 주세요: { $menu }
join-ask-area = 어느 지역을 맡으시나요? 동네 이름이나 우편번호로 답하거나 위치를 공유하세요.
join-retry-area = 그 지역을 찾지 못했습니다. 동네 이름이나 우편번호로 답하거나 위치를 공유하세요.
join-ask-confirm = { $area } 지역 알림을 한국어로 받습니다. 확인하려면 네 라고 답하세요.
join-retry-confirm = 확인하려면 네, 취소하려면 STOP이라고 답하세요.
join-done = 이제 { $area } 지역 자원봉사자입니다. 알림에 Y, N, HERE로 답하세요. 언제든 PAUSE, STATUS, STOP.
join-ended = 가입을 마치지 못했습니다. 다시 하려면 가입 이라고 보내세요.
join-already = 이미 자원봉사자입니다. 정보를 보려면 STATUS를 보내세요.
not-volunteer = 아직 자원봉사자가 아닙니다. 가입 이라고 보내세요.

status-active = 지역: { $area }. 언어: 한국어. 알림을 받는 중입니다.
status-paused = 지역: { $area }. 언어: 한국어. { $until }까지 일시 중지.
pause-ok = { $until }까지 알림을 일시 중지합니다. 다시 받으려면 RESUME.
pause-ok-dispatcher = { $until }까지 알림을 일시 중지합니다. 코디네이터도 일시 중지함: 재개는 { $network }에 문의하세요.
time-on-day = { $month }월 { $day }일 { $time }
resume-ok = 알림을 다시 받습니다. 감사합니다.
status-paused-dispatcher = 지역: { $area }. 언어: 한국어. 코디네이터가 일시 중지함. 재개는 { $network }에 문의하세요.
resume-dispatcher = 코디네이터가 일시 중지해 코디네이터만 재개할 수 있습니다. { $network }에 문의하세요.
area-ok = 이제 지역은 { $area }입니다.
area-unknown = { $zone } 지역을 찾지 못했습니다.
language-ok = 이제 한국어로 메시지를 받습니다.
language-unknown = 언어: { $menu }
resume-word = RESUME을 보낼 때

verify-request = { $head } 확인 요청: { $link } { $what } 가능성. 안전할 때만 가세요. 보이면 CONFIRM { $id }(있음), 없으면 NOTHING { $id }(없음) 답장.
verify-confirmed = 감사합니다: #{ $id } 확인됨. 지역에 알리고 있습니다.
verify-not-found = 감사합니다: #{ $id } 없음으로 기록했습니다.
verify-already = 감사합니다: #{ $id }는 이미 결정되었습니다.

# Verifiers decide only on purpose (issue 11). The words that decide a request to check, read
# from every catalogue (comma-separated; case, accents and punctuation do not matter; never
# yes/no/1/2), and the replies to a verifier's answer.
verify-words-confirm = 있음, 확인됨
verify-words-nothing = 없음
verify-choices = 담당자에게 전달했습니다. #{ $id } 결정: 보이면 CONFIRM(있음), 없으면 NOTHING(없음)으로 답하세요.
verify-nothing-noted = 감사합니다: #{ $id } 없음으로 기록했습니다. 다른 확인을 기다립니다.
# Vetting (issue 11): 가입자는 관리자 승인을 기다리거나 (공개 가입) 지역만 안내받습니다.
alert-unvetted-zone = { $head }: { $zone } 근처 { $what }. { $need }Y{ $id }=가요 N{ $id }=못가요 HERE{ $id }=도착
alert-unvetted-point = { $head }: { $link } 1km 이내 { $what }. { $need }Y{ $id }=가요 N{ $id }=못가요 HERE{ $id }=도착
answer-coming-unvetted = 감사합니다: #{ $id }에 오시는 것으로 기록했습니다. 정확한 위치는 승인된 자원봉사자에게만 갑니다. 그 지역으로 가세요. 안전하세요.
join-pending = 감사합니다! 코디네이터가 승인하면 { $area } 지역 자원봉사자로 알림을 받습니다. 언제든 STATUS, STOP.
status-pending = 지역: { $area }. 언어: 한국어. 코디네이터 승인 대기 중: 아직 알림이 없습니다.

# --- Answers and commands as people write them (issue 12, section 1) ---
answer-words-coming = 네, 예, 갑니다, 가요, 갈게요, 가는 중, 가는중, 출발, 출발했어요
answer-words-cant = 못가요, 못 가요, 못갑니다, 못 갑니다, 못가, 못 가, 아니요, 안돼요
answer-words-here = 도착, 도착했어요, 도착했습니다, 현장, 여기
answer-words-maybe = 아마, 아마도, 글쎄요
command-words-help = 도움말, 도움
command-words-join = 가입
command-words-pause = 일시정지, 일시중지
command-words-resume = 재개
command-words-status = 상태
command-words-area = 지역
command-words-lang = 언어
answer-which = 어느 알림인가요? { $list }. 번호로 답하세요. 예: { $example }
answer-not-alerted = #{ $id } 알림을 받지 않으셨습니다. { $open }
answer-open = 진행 중: { $list }.
unclear = 이해하지 못했습니다. 알림: Y, N, HERE로 답하세요(#{ $id }: Y{ $id }). 제보: 무엇이 어디서. 명령: 도움말.
unclear-none = 이해하지 못했습니다. 알림: Y, N, HERE로 답하세요. 제보: 무엇이 어디서. 명령: 도움말.
sighting-words = 요원, 요원들, 체포, 연행, 긴급

# --- Issue 12 §4: the reporter is asked, and hears back (keys ask-*, followup-*, reporter-*) ---
ask-where = 접수되었습니다 (제보 { $report }). 어디입니까? 주소, 교차로(Vermont and 3rd), 장소 이름을 답하거나 위치를 공유해 주세요.
ask-what = 접수되었습니다 (제보 { $report }). 무슨 일이 어디에서 일어나고 있습니까? 보이는 것과 주소, 교차로 또는 장소 이름을 답하거나 위치를 공유해 주세요.
followup-noted = 감사합니다. 제보 { $report }에 추가했습니다. 담당자가 모든 메시지를 읽습니다.
reporter-confirmed = 제보 { $report }이(가) 확인되었습니다 ({ $what }): 자원봉사자에게 알리고 있습니다. 안전하세요. 달라지는 것이 있으면 알려 주세요.
reporter-all-clear = 제보 { $report } ({ $what }) 상황이 끝났습니다. 제보해 주셔서 감사합니다.
reporter-false-alarm = 제보 { $report }은(는) 오경보로 종료되었습니다. 감사합니다. 다시 보이면 알려 주세요.

# 대략적인 위치만 아는 경우(지역, 거리): 제보자의 말을 그대로 전합니다.
verify-request-zone = { $head } 확인 요청: { $zone } 어딘가에 { $what } 가능성. 제보: "{ $words }" 안전할 때만 가세요. 보이면 CONFIRM { $id }(있음), 없으면 NOTHING { $id }(없음) 답장.
verify-request-around = { $head } 확인 요청: { $link } 부근 { $what } 가능성. 제보: "{ $words }" 안전할 때만 가세요. 보이면 CONFIRM { $id }(있음), 없으면 NOTHING { $id }(없음) 답장.
answer-coming-zone = 감사합니다: #{ $id }에 오시는 것으로 기록했습니다. 위치: { $zone } 어딘가. 제보: "{ $words }" 정확한 위치를 알게 되면 문자로 보내드립니다. 안전하세요.
answer-coming-around = 감사합니다: #{ $id }에 오시는 것으로 기록했습니다. 위치: { $link } 부근. 제보: "{ $words }" 정확한 위치를 알게 되면 문자로 보내드립니다. 안전하세요.
place-known = { $head }: { $what } 정확한 위치: { $link } HERE{ $id }=도착

# --- Issue 14: dispatchers paged from their phones (keys page-*, why-*, ack-*, duty-*) ---
page = TOCSIN #{ $id } 상황실 담당자 필요: { $where } 부근 { $what }: "{ $words }". { $why }. ACK{ $id } 로 답장하세요.
page-nowhere = 알 수 없는 장소
why-no_verifier = 근처에 확인자 없음
why-verifiers_silent = 확인자 응답 없음
why-unplaced = 위치 미확인
why-flood = 핫라인 한도 초과
ack-taken = #{ $id } 담당이 되었습니다. 다른 사람에게는 알리지 않습니다. { $link }
ack-already = #{ $id } 은(는) 이미 { $name } 님이 맡았습니다.
ack-unknown = 확인할 호출이 없습니다. ACK12 처럼 ACK 와 번호를 보내세요.
duty-on = 당번입니다: 담당자가 필요한 제보가 있으면 tocsin 이 문자를 보냅니다. 끝내려면 DUTY OFF.
duty-off = 당번이 아닙니다: DUTY ON 을 보낼 때까지 호출하지 않습니다.
enough = #{ $id }: 충분한 인원이 가고 있습니다. 대기해 주세요. 더 필요하면 문자 드립니다.
surplus = #{ $id } 은(는) 인원이 충분합니다. { $km } km 떨어진 #{ $other } 에 { $n }명 필요: Y{ $other } 로 답장.
page-flood = TOCSIN: 핫라인이 한도를 넘었습니다 (한 시간에 제보 { $n }건). 새 제보는 보류되고 알림이 나가지 않습니다. 확인: { $link }

# --- Issue 18: planned mobilisations (keys mob-*): see the English catalogue.
mob-kind-eviction = 퇴거 저지
mob-kind-hearing = 법원 심리
mob-kind-lockout = 불법 잠금
mob-kind-action = 행동
mob-where-place = , 장소: { $place }
mob-where-zone = , 지역: { $zone }
mob-text = "{ $text }"
mob-address = 주소: { $place }.
mob-invitation = 참여 요청: #{ $id } { $kind }, { $when }{ $where }.{ $text } YES{ $id }(참여), NO{ $id }(불참), MAYBE{ $id }(미정)로 답장하세요.
mob-reminder = 알림: #{ $id } { $kind }, { $when }{ $where }.{ $text } 주소는 YES{ $id }, 못 오시면 NO{ $id } 답장하세요.
mob-changed = 변경: #{ $id } { $kind } 새 일정: { $when }{ $where }.{ $text } YES{ $id }(참여), NO{ $id }(불참), MAYBE{ $id }(미정)로 답장하세요.
mob-cancelled = 취소: #{ $id } { $kind } { $when } 일정이 취소되었습니다. 오지 않으셔도 됩니다.
mob-live = 지금: #{ $id } { $kind }{ $where }.{ $text } 도착하면 HERE{ $id } 답장하세요.
mob-answered-coming = 참여로 기록했습니다: #{ $id } { $kind }, { $when }.{ $address } 전에 다시 알려드립니다. 못 오게 되면 NO{ $id } 답장하세요.
mob-answered-cant = 감사합니다: #{ $id } 불참으로 기록했습니다. 사정이 바뀌면 YES{ $id } 답장하세요.
mob-answered-maybe = #{ $id } 미정으로 기록했습니다. 전에 다시 알려드립니다. 정해지면 YES{ $id } 답장하세요.
mob-answered-here = #{ $id } 도착 확인했습니다. 감사합니다.
