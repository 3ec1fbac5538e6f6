# tocsin's messages in English. Every message here exists in each other language's file;
# a missing one falls back to English (and a test lists it).
# SMS: keep alerts within one GSM-7 segment (160 characters, no curly quotes or emoji).
language-name = English

kind-raid = immigration raid
kind-eviction = eviction
kind-police = police action
kind-other = emergency
label-unconfirmed = UNCONFIRMED
label-confirmed = CONFIRMED
label-false-alarm = FALSE ALARM
label-all-clear = ALL CLEAR
label-drill = DRILL
need = Need { $n }.
alert-near-zone = { $head }: { $what } near { $zone }. { $need }Y{ $id }=coming (get the place) N{ $id }=can't HERE{ $id }=arrived
alert-near-point = { $head }: { $what } around { $link } { $need }Y{ $id }=coming (get place) N{ $id }=can't HERE{ $id }=arrived
false-alarm = { $head }: it was not a { $what }. Please stand down. Thank you.
answer-coming-exact = Thank you: you are coming to #{ $id }. Exact place: { $link } Stay safe.

alert-first = { $head }: { $what } at { $link } { $need }Y{ $id }=coming N{ $id }=can't HERE{ $id }=arrived
alert-first-zone = { $head }: { $what } near { $zone } { $link } { $need }Y{ $id }=coming N{ $id }=can't HERE{ $id }=arrived
all-clear = { $head }: the { $what } alert is over. Thank you.
update = { $head } update: { $text } (Y{ $id } N{ $id } HERE{ $id })
# Before a correction's text: it follows the update it corrects, which stays on record.
correction = Correction: { $text }

report-ack = Received, thank you (report { $report }). Volunteers are being alerted or checking.
answer-coming = Thank you: you are coming to #{ $id }. Stay safe.
answer-cant = Noted: you can't go to #{ $id }.
answer-on-scene = Noted: you are on scene at #{ $id }. Stay safe.
answer-maybe = Noted: maybe for #{ $id }. Reply Y{ $id } if you come.
no-open-alert = There is no open alert to answer right now.
help = { $network }: text what you see and where, to report. Volunteers: Y, N or HERE to answer alerts (Y26 for #26); PAUSE, RESUME, STATUS, AREA, STOP. JOIN to volunteer.
# Calling the hotline (issue 17): said by Twilio's voices, so short and without symbols.
voice-choose = For English, press { $digit }. To text us instead, press 9.
voice-connecting = Connecting you to a dispatcher. Please stay on the line.
voice-record = Nobody can take your call right now. After the beep, say what is happening and where. Press the pound key when you are done.
voice-no-answer = Nobody could answer.
voice-thanks = Thank you. A dispatcher will listen to your message. Goodbye.
voice-text = Please send a text message to this number: say what is happening and where. Goodbye.
voice-text-sent = Please send a text message to this number instead. We are texting you how. Goodbye.
voice-whisper = { $network } hotline call, incident { $id }. The caller chose { $language }.
subscription-stopped = You will get no more alerts. Send START to get them again.
subscription-started = Welcome back: you will get alerts again. Send STOP to stop.
# The English opt-out and opt-in words are the carriers' own (STOP, START ...: see
# `words::subscription_keyword`); other catalogues list theirs as opt-out-words / opt-in-words.

join-start = Welcome to { $network }! Reply with a number for your language: { $menu }
join-retry-language = Please reply with a number from the list: { $menu }
join-ask-area = Which area do you cover? Reply with a neighbourhood name or ZIP code, or share your location.
join-retry-area = We did not find that area. Reply with a neighbourhood name or ZIP code, or share your location.
join-ask-confirm = You will get alerts for { $area } in English. Reply YES to confirm.
join-retry-confirm = Reply YES to confirm, or STOP to cancel.
join-done = You are now a volunteer for { $area }. Answer alerts with Y, N or HERE. PAUSE, STATUS or STOP at any time.
join-ended = We could not finish signing you up. Send JOIN to try again.
join-already = You are already a volunteer. Send STATUS to see your details.
not-volunteer = You are not a volunteer yet. Send JOIN to become one.

status-active = Area: { $area }. Language: English. Receiving alerts.
status-paused = Area: { $area }. Language: English. Paused until { $until }.
pause-ok = Alerts paused until { $until }. Send RESUME to get them again.
pause-ok-dispatcher = Alerts paused until { $until }. A coordinator paused them too: ask { $network } to resume them.
time-on-day = { $time } on { $month }/{ $day }
resume-ok = Alerts resumed. Thank you.
status-paused-dispatcher = Area: { $area }. Language: English. Paused by a coordinator until they resume you. Ask { $network }.
resume-dispatcher = A coordinator paused your alerts; only a coordinator can resume them. Ask { $network }.
area-ok = Your area is now { $area }.
area-unknown = We did not find the area { $zone }.
language-ok = You will get messages in English.
language-unknown = Languages: { $menu }
resume-word = you send RESUME

verify-request = { $head } CHECK { $what } at { $link } Only if safe. CONFIRM { $id } if seen, NOTHING { $id } if not.
verify-confirmed = Thank you: #{ $id } is confirmed; the area is being alerted.
verify-not-found = Thank you: #{ $id } is marked as not found.
verify-already = Thank you: #{ $id } has been decided already.

# Verifiers decide only on purpose (issue 11). The words that decide a request to check, read
# from every catalogue (comma-separated; case, accents and punctuation do not matter; never
# yes/no/1/2), and the replies to a verifier's answer.
verify-words-confirm = CONFIRM, CONFIRMED
verify-words-nothing = NOTHING
verify-choices = Passed on to the dispatcher. To decide #{ $id }, reply CONFIRM if you see it, NOTHING if not.
verify-nothing-noted = Thank you: NOTHING noted for #{ $id }. Waiting for another check.
# Vetting (issue 11): joiners wait for an admin's approval, or (open joining) get the area only.
alert-unvetted-zone = { $head }: { $what } near { $zone }. { $need }Y{ $id }=coming N{ $id }=can't HERE{ $id }=arrived
alert-unvetted-point = { $head }: { $what } around { $link } { $need }Y{ $id }=coming N{ $id }=can't HERE{ $id }=arrived
answer-coming-unvetted = Thank you: you are coming to #{ $id }. Exact places go to approved volunteers; head to the area. Stay safe.
join-pending = Thank you! A coordinator will approve you for { $area }; you will get alerts after that. STATUS or STOP at any time.
status-pending = Area: { $area }. Language: English. Waiting for a coordinator's approval: no alerts yet.

# --- Answers and commands as people write them (issue 12, section 1) ---
# Read from every catalogue (comma-separated; case, accents, spacing and surrounding
# punctuation do not matter), so a Spanish speaker set to English may still write "voy". An
# answer may carry an incident's number: Y26, Y 26, 26Y, yes #26, #26 si.
answer-words-coming = Y, YES, 1, COMING, OMW, ON MY WAY, ON THE WAY, I'M COMING, IM COMING, GOING
answer-words-cant = N, NO, 2, CAN'T, CANT, CANNOT, CAN NOT, CAN'T GO, CANT GO, CAN'T MAKE IT, CANT MAKE IT
answer-words-here = HERE, 3, I'M HERE, IM HERE, I AM HERE, ON SCENE, ARRIVED
answer-words-maybe = MAYBE, PERHAPS, NOT SURE, MIGHT
# Command words (the first word of a message); 4+ letters also match with one typo.
command-words-help = HELP, INFO, COMMANDS
command-words-join = JOIN
command-words-pause = PAUSE
command-words-resume = RESUME
command-words-status = STATUS
command-words-area = AREA, ZONE
command-words-lang = LANG, LANGUAGE
answer-which = Which alert? { $list }. Reply with its number, e.g. { $example }
answer-not-alerted = You were not alerted for #{ $id }. { $open }
answer-open = Open: { $list }.
# The incident's number: the volunteer's open one (the most recent when several); without one,
# unclear-none.
unclear = Not understood. Alerts: reply Y, N or HERE (Y{ $id } for #{ $id }). Report: what and where. HELP: commands.
unclear-none = Not understood. Alerts: reply Y, N or HERE. Report: what and where. HELP: commands.
# Words that make a volunteer's short message a sighting (kept as a report), besides the kinds'
# words and places: whole words, any catalogue.
sighting-words = AGENT, AGENTS, OFFICERS, ARREST, ARRESTS, ARRESTED, DETAINING, VANS, URGENT, EMERGENCY

# --- Issue 12 §4: the reporter is asked, and hears back (keys ask-*, followup-*, reporter-*) ---
ask-where = Received (report { $report }). Where is it? Reply with an address, cross streets (Vermont and 3rd), a place name, or share your location.
ask-what = Received (report { $report }). What is happening, and where? Reply with what you see and an address, cross streets or a place name, or share your location.
followup-noted = Thank you, added to your report { $report }. A dispatcher reads every message.
reporter-confirmed = Your report { $report } is confirmed ({ $what }): volunteers are being alerted. Stay safe; text us if anything changes.
reporter-all-clear = Report { $report } ({ $what }) is over: all clear. Thank you for reporting.
reporter-false-alarm = Report { $report } was closed as a false alarm. Thank you; text us again if you see something.

# A place known only roughly (a zone, a street): the reporter's own words say the rest.
verify-request-zone = { $head } CHECK { $what } somewhere in { $zone }. Reporter: "{ $words }" Only if safe. CONFIRM { $id } if seen, NOTHING { $id } if not.
verify-request-around = { $head } CHECK { $what } around { $link } Reporter: "{ $words }" Only if safe. CONFIRM { $id } if seen, NOTHING { $id } if not.
answer-coming-zone = Thank you: you are coming to #{ $id }, somewhere in { $zone }. Reporter: "{ $words }" We will text the exact place if we get it. Stay safe.
answer-coming-around = Thank you: you are coming to #{ $id }, around { $link } Reporter: "{ $words }" We will text the exact place if we get it. Stay safe.
place-known = { $head }: exact place of the { $what }: { $link } HERE{ $id }=arrived

# --- Issue 14: dispatchers paged from their phones (keys page-*, why-*, ack-*, duty-*) ---
page = TOCSIN #{ $id } NEEDS A DISPATCHER: { $what } near { $where }: "{ $words }". { $why }. Reply ACK{ $id }.
page-nowhere = an unknown place
why-no_verifier = No verifier in reach
why-verifiers_silent = No verifier answered
why-unplaced = Not placed yet
why-flood = Hotline over its limit
ack-taken = #{ $id } is yours; the others will not be paged. Open { $link }
ack-already = #{ $id } was already taken by { $name }.
ack-unknown = Nothing to acknowledge. Reply ACK and the number you were paged for, like ACK12.
duty-on = You are on duty: tocsin will text you when a report needs a dispatcher. DUTY OFF to stop.
duty-off = You are off duty: no pages until you text DUTY ON.
enough = #{ $id }: enough people are coming. Stand by; we will text you if more are needed.
surplus = #{ $id } has enough. #{ $other }, { $km } km away, needs { $n }: reply Y{ $other }.
page-flood = TOCSIN: the hotline is over its limit ({ $n } reports in an hour). New reports are held, not alerted. Check them: { $link }

# --- Issue 18: planned mobilisations (keys mob-*). Reply words carry the number (YES31) and
# must be answer-words of some catalogue. { $where } and { $address } may be empty: each starts
# with its own separator. { $text } is the network's public text, quoted, after a space.
mob-kind-eviction = eviction defence
mob-kind-hearing = court hearing
mob-kind-lockout = lockout
mob-kind-action = action
mob-where-place = , { $place }
mob-where-zone = , in { $zone }
mob-text = "{ $text }"
mob-address = Address: { $place }.
mob-invitation = Can you come? #{ $id } { $kind }, { $when }{ $where }.{ $text } Reply YES{ $id }, NO{ $id } or MAYBE{ $id }.
mob-reminder = Reminder: #{ $id } { $kind }, { $when }{ $where }.{ $text } Reply YES{ $id } for the address, NO{ $id } if you can't come.
mob-changed = CHANGED: #{ $id } { $kind } is now { $when }{ $where }.{ $text } Reply YES{ $id }, NO{ $id } or MAYBE{ $id }.
mob-cancelled = CANCELLED: #{ $id } { $kind } { $when } is called off. No need to come.
mob-live = NOW: #{ $id } { $kind }{ $where }.{ $text } Reply HERE{ $id } when you arrive.
mob-answered-coming = You're down for #{ $id } { $kind }, { $when }.{ $address } We'll remind you. Reply NO{ $id } if that changes.
mob-answered-cant = Thanks: not coming to #{ $id }. Reply YES{ $id } if that changes.
mob-answered-maybe = Noted: maybe for #{ $id }. We'll remind you. Reply YES{ $id } when you know.
mob-answered-here = Checked in at #{ $id }. Thank you.
