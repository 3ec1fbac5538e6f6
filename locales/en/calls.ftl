# Wake-up calls (issue 17 §2): what a call says, read aloud. Never an exact place.
call-alert-zone = { $drill }Tocsin alert { $id }, confirmed. { $what } near { $zone }. { $need }
call-alert = { $drill }Tocsin alert { $id }, confirmed. { $what }. The place is in your text message. { $need }
call-menu = Press 1 if you are coming. Press 2 if you cannot come. Press 3 if you are on scene. Press any other key to hear this again.
call-coming = Thank you. You are counted as coming. The details follow by text message. Goodbye.
call-cant = Thank you. Someone else will be asked. Goodbye.
call-on-scene = Thank you. You are counted as on scene. Goodbye.
call-maybe = Thank you. You are noted as maybe. Goodbye.
call-no-key = No key was pressed. The alert is in your text messages. Goodbye.
call-over = This alert is over. Thank you. Goodbye.
# CALLS OFF by text.
command-words-calls-off = CALLS OFF, CALL OFF, NO CALLS
calls-off-ok = Calls are off: alerts come by text only. A dispatcher can turn calls on again.
