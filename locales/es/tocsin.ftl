# Mensajes de tocsin en espanol. Sin a/i/o/u con acento en las alertas: asi caben en un SMS
# (GSM-7, 160 caracteres); n~, e con acento, u con dieresis, los signos de apertura si caben.
language-name = Español

kind-raid = redada de migracion
kind-eviction = desalojo
kind-police = operativo policial
kind-other = emergencia
label-unconfirmed = SIN CONFIRMAR
label-confirmed = CONFIRMADO
label-false-alarm = FALSA ALARMA
label-all-clear = FIN DE ALERTA
label-drill = SIMULACRO
need = Faltan { $n }.
alert-near-zone = { $head }: { $what } cerca de { $zone }. { $need }SI{ $id }=voy (+lugar) NO{ $id }=no voy AQUI{ $id }=llegue
alert-near-point = { $head }: { $what } por { $link } { $need }SI{ $id }=voy (+lugar) NO{ $id }=no voy AQUI{ $id }=llegue
false-alarm = { $head }: no era { $what }. No vayan. Gracias.
answer-coming-exact = Gracias: vas a #{ $id }. Lugar exacto: { $link } Cuidate.

alert-first = { $head }: { $what } en { $link } { $need }SI{ $id }=voy NO{ $id }=no puedo AQUI{ $id }=llegue
alert-first-zone = { $head }: { $what } cerca de { $zone } { $link } { $need }SI{ $id }=voy NO{ $id }=no puedo AQUI{ $id }=llegue
all-clear = { $head }: termino la alerta de { $what }. Gracias.
update = { $head } novedad: { $text } (SI{ $id } NO{ $id } AQUI{ $id })
correction = Correccion: { $text }

report-ack = Recibido, gracias (reporte { $report }). Estamos avisando o verificando.
answer-coming = Gracias: vas a #{ $id }. Cuidate.
answer-cant = Anotado: no puedes ir a #{ $id }.
answer-on-scene = Anotado: estas en #{ $id }. Cuidate.
answer-maybe = Anotado: quizas para #{ $id }. Responde SI{ $id } si vas.
no-open-alert = No hay ninguna alerta abierta ahora.
help = { $network }: escribe que ves y donde para reportar. Voluntarios: SI, NO o AQUI a las alertas (SI26 para #26); PAUSA, REANUDAR, ESTADO, ZONA, BAJA. UNIRSE para ser voluntario.
# Llamadas a la línea (issue 17): las dicen las voces de Twilio, así que cortas y sin símbolos.
voice-choose = Para español, oprima { $digit }. Para escribirnos un mensaje, oprima 9.
voice-connecting = Le comunicamos con un despachador. No cuelgue, por favor.
voice-record = Nadie puede atender su llamada ahora. Después del tono, diga qué está pasando y dónde. Oprima la tecla de número al terminar.
voice-no-answer = Nadie pudo contestar.
voice-thanks = Gracias. Un despachador escuchará su mensaje. Adiós.
voice-text = Por favor envíe un mensaje de texto a este número: diga qué está pasando y dónde. Adiós.
voice-text-sent = Por favor envíe un mensaje de texto a este número. Le mandamos un mensaje con las instrucciones. Adiós.
voice-whisper = Llamada a la línea de { $network }, incidente { $id }. La persona eligió { $language }.
subscription-stopped = No recibiras mas alertas. Envia ALTA para recibirlas de nuevo.
subscription-started = Bienvenido de nuevo: recibiras alertas. Envia BAJA para parar.
# Words that stop or restart every message, like STOP and START (the whole message; case and
# accents ignored). Comma-separated; tocsin answers them itself (carriers only know English ones).
opt-out-words = BAJA, PARAR, CANCELAR, DETENER
opt-in-words = ALTA, INICIAR, COMENZAR

join-start = ¡Bienvenido a { $network }! Responde con el numero de tu idioma: { $menu }
join-retry-language = Responde con un numero de la lista: { $menu }
join-ask-area = ¿Que zona cubres? Responde con el nombre del barrio o el codigo postal, o comparte tu ubicacion.
join-retry-area = No encontramos esa zona. Responde con el nombre del barrio o el codigo postal, o comparte tu ubicacion.
join-ask-confirm = Recibiras alertas de { $area } en espanol. Responde SI para confirmar.
join-retry-confirm = Responde SI para confirmar, o STOP para cancelar.
join-done = Ya eres voluntario para { $area }. Responde a las alertas con SI, NO o AQUI. PAUSE, STATUS o STOP cuando quieras.
join-ended = No pudimos terminar tu registro. Envia UNIRSE para intentar de nuevo.
join-already = Ya eres voluntario. Envia STATUS para ver tus datos.
not-volunteer = Aun no eres voluntario. Envia UNIRSE para serlo.

status-active = Zona: { $area }. Idioma: espanol. Recibes alertas.
status-paused = Zona: { $area }. Idioma: espanol. En pausa hasta { $until }.
pause-ok = Alertas en pausa hasta { $until }. Envia RESUME para recibirlas de nuevo.
pause-ok-dispatcher = Alertas en pausa hasta { $until }. Un coordinador tambien las pauso: pide a { $network } que las reanude.
time-on-day = las { $time } del { $day }/{ $month }
resume-ok = Alertas reanudadas. Gracias.
status-paused-dispatcher = Zona: { $area }. Idioma: espanol. En pausa por un coordinador hasta que te reactive. Contacta a { $network }.
resume-dispatcher = Un coordinador puso en pausa tus alertas; solo un coordinador puede reanudarlas. Contacta a { $network }.
area-ok = Tu zona ahora es { $area }.
area-unknown = No encontramos la zona { $zone }.
language-ok = Recibiras los mensajes en espanol.
language-unknown = Idiomas: { $menu }
resume-word = que envies RESUME

verify-request = { $head } VERIFICA { $what }: { $link } Cuidado. CONFIRMAR { $id } si lo ves, NADA { $id } si no
verify-confirmed = Gracias: #{ $id } confirmado; avisamos a la zona.
verify-not-found = Gracias: #{ $id } marcado como no encontrado.
verify-already = Gracias: #{ $id } ya fue decidido.

# Verifiers decide only on purpose (issue 11). The words that decide a request to check, read
# from every catalogue (comma-separated; case, accents and punctuation do not matter; never
# yes/no/1/2), and the replies to a verifier's answer.
verify-words-confirm = CONFIRMAR, CONFIRMO, CONFIRMADO
verify-words-nothing = NADA
verify-choices = Pasamos tu mensaje al equipo. Para decidir #{ $id }, responde CONFIRMAR si lo ves, NADA si no.
verify-nothing-noted = Gracias: NADA anotado para #{ $id }. Esperamos otra respuesta.
# Vetting (issue 11): quien se une espera la aprobacion de un admin, o (union abierta) recibe solo la zona.
alert-unvetted-zone = { $head }: { $what } cerca de { $zone }. { $need }SI{ $id }=voy NO{ $id }=no puedo AQUI{ $id }=llegue
alert-unvetted-point = { $head }: { $what } por { $link } { $need }SI{ $id }=voy NO{ $id }=no puedo AQUI{ $id }=llegue
answer-coming-unvetted = Gracias: vas a #{ $id }. El lugar exacto es para voluntarios aprobados; ve a la zona. Cuidate.
join-pending = Gracias! Un coordinador te aprobara para { $area }; despues recibiras alertas. STATUS o STOP cuando quieras.
status-pending = Zona: { $area }. Idioma: espanol. Esperando la aprobacion de un coordinador: aun sin alertas.

# --- Answers and commands as people write them (issue 12, section 1) ---
answer-words-coming = SI, VOY, SI VOY, YA VOY, AHI VOY, ALLA VOY, EN CAMINO, VOY EN CAMINO, VOY PARA ALLA
answer-words-cant = NO, NO PUEDO, NO PUEDO IR, NO VOY
answer-words-here = AQUI, ESTOY AQUI, AQUI ESTOY, YA LLEGUE, LLEGUE, YA ESTOY, YA ESTOY AQUI
answer-words-maybe = QUIZAS, QUIZA, TAL VEZ, A LO MEJOR, PUEDE SER
command-words-help = AYUDA, INFO, COMANDOS
command-words-join = UNIRSE, UNETE
command-words-pause = PAUSA
command-words-resume = REANUDAR, SEGUIR
command-words-status = ESTADO
command-words-area = ZONA, AREA
command-words-lang = IDIOMA
answer-which = ¿Que alerta? { $list }. Responde con su numero, p. ej. { $example }
answer-not-alerted = No te alertamos por #{ $id }. { $open }
answer-open = Abiertas: { $list }.
unclear = No entendimos. Alertas: responde SI, NO o AQUI (SI{ $id } para #{ $id }). Reporte: que y donde. AYUDA: comandos.
unclear-none = No entendimos. Alertas: responde SI, NO o AQUI. Reporte: que y donde. AYUDA: comandos.
sighting-words = AGENTE, AGENTES, OFICIALES, ARRESTO, ARRESTAN, ARRESTANDO, DETENIENDO, URGENTE, EMERGENCIA

# --- Issue 12 §4: the reporter is asked, and hears back (keys ask-*, followup-*, reporter-*) ---
ask-where = Recibido (reporte { $report }). ¿Donde es? Responda con una direccion, una esquina (Vermont y 3rd), el nombre del lugar, o comparta su ubicacion.
ask-what = Recibido (reporte { $report }). ¿Que esta pasando y donde? Responda con lo que ve y una direccion, esquina o lugar, o comparta su ubicacion.
followup-noted = Gracias, lo agregamos a su reporte { $report }. Un despachador lee cada mensaje.
reporter-confirmed = Su reporte { $report } esta confirmado ({ $what }): estamos avisando a voluntarios. Cuidese; escribanos si algo cambia.
reporter-all-clear = El reporte { $report } ({ $what }) termino: todo despejado. Gracias por avisar.
reporter-false-alarm = El reporte { $report } se cerro como falsa alarma. Gracias; escribanos otra vez si ve algo.

# Un lugar conocido solo a grandes rasgos (una zona, una calle): las palabras de quien avisó dicen el resto.
verify-request-zone = { $head } VERIFICA { $what } en algun lugar de { $zone }. Aviso: "{ $words }" Cuidado. CONFIRMAR { $id } si lo ves, NADA { $id } si no
verify-request-around = { $head } VERIFICA { $what } por { $link } Aviso: "{ $words }" Cuidado. CONFIRMAR { $id } si lo ves, NADA { $id } si no
answer-coming-zone = Gracias: vas a #{ $id }, en algun lugar de { $zone }. Aviso: "{ $words }" Te mandamos el lugar exacto si lo sabemos. Cuidate.
answer-coming-around = Gracias: vas a #{ $id }, por { $link } Aviso: "{ $words }" Te mandamos el lugar exacto si lo sabemos. Cuidate.
place-known = { $head }: lugar exacto de { $what }: { $link } AQUI{ $id }=llegue

# --- Issue 14: dispatchers paged from their phones (keys page-*, why-*, ack-*, duty-*) ---
page = TOCSIN #{ $id } NECESITA UN DESPACHADOR: { $what } cerca de { $where }: "{ $words }". { $why }. Responda ACK{ $id }.
page-nowhere = un lugar desconocido
why-no_verifier = Ningún verificador cerca
why-verifiers_silent = Ningún verificador respondió
why-unplaced = Aún sin ubicar
why-flood = Línea por encima de su límite
ack-taken = #{ $id } es suyo; no se avisará a los demás. Abra { $link }
ack-already = #{ $id } ya lo tomó { $name }.
ack-unknown = Nada que confirmar. Responda ACK y el número del aviso, como ACK12.
duty-on = Está de turno: tocsin le escribirá cuando un reporte necesite un despachador. DUTY OFF para dejarlo.
duty-off = Fuera de turno: ningún aviso hasta que escriba DUTY ON.
enough = #{ $id }: ya van suficientes personas. Espere; le escribiremos si hacen falta más.
surplus = #{ $id } ya tiene suficientes. #{ $other }, a { $km } km, necesita { $n }: responda SI{ $other }.
page-flood = TOCSIN: la línea pasó su límite ({ $n } reportes en una hora). Los nuevos reportes quedan retenidos, sin alertas. Revíselos: { $link }

# --- Issue 18: planned mobilisations (keys mob-*): see the English catalogue.
mob-kind-eviction = defensa contra desalojo
mob-kind-hearing = audiencia judicial
mob-kind-lockout = cierre ilegal
mob-kind-action = accion
mob-where-place = , en { $place }
mob-where-zone = , zona { $zone }
mob-text = "{ $text }"
mob-address = Direccion: { $place }.
mob-invitation = ¿Puedes venir? #{ $id } { $kind }, { $when }{ $where }.{ $text } Responde SI{ $id }, NO{ $id } o QUIZAS{ $id }.
mob-reminder = Recordatorio: #{ $id } { $kind }, { $when }{ $where }.{ $text } Responde SI{ $id } para la direccion, NO{ $id } si no puedes venir.
mob-changed = CAMBIO: #{ $id } { $kind } ahora es { $when }{ $where }.{ $text } Responde SI{ $id }, NO{ $id } o QUIZAS{ $id }.
mob-cancelled = CANCELADO: #{ $id } { $kind } { $when } se suspende. No hace falta venir.
mob-live = AHORA: #{ $id } { $kind }{ $where }.{ $text } Responde AQUI{ $id } al llegar.
mob-answered-coming = Anotado: vienes a #{ $id } { $kind }, { $when }.{ $address } Te lo recordamos. Responde NO{ $id } si cambia.
mob-answered-cant = Gracias: no vienes a #{ $id }. Responde SI{ $id } si cambia.
mob-answered-maybe = Anotado: quizas vienes a #{ $id }. Te lo recordamos. Responde SI{ $id } cuando sepas.
mob-answered-here = Registrado en #{ $id }. Gracias.
