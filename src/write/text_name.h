/* The braced text form of item names, "{butter, yogurt}": written by -f text
 * for named items and by the command line's rule table. */
#ifndef FIMBIT_TEXT_NAME_H
#define FIMBIT_TEXT_NAME_H

#include <stddef.h>

/* Encodes one name as the braced form writes it: the name itself, or, when it
 * is empty, starts or ends with a space or tab, or holds any of , { } " CR LF,
 * the name between double quotes with its quotes doubled. Writes to out when
 * not NULL. @return the encoded length. */
size_t output_text_name(const char *name, char *out);

#endif /* FIMBIT_TEXT_NAME_H */
