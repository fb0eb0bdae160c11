/*
 * SIGINT, SIGTERM and SIGHUP: the command stops as if the library had failed,
 * quietly, removes what it was writing and ends with the signal's status
 * (128 + the signal number in a shell).
 *
 * The first signal asks the library to stop (fimbit_request_stop); the call
 * under way returns FIMBIT_ECANCELED at its next check, its output file is
 * removed, and main re-raises the signal. A second signal, or one second
 * without the library returning (a sort has no checks), ends the process at
 * once: that leaves no file either, since an output is unnamed until it is
 * complete (write/output.c), and nothing is open while sorting.
 */
#ifndef FIMBIT_CLI_STOP_SIGNALS_H
#define FIMBIT_CLI_STOP_SIGNALS_H

/* Installs the handlers. Call once, before any work. */
void cli_stop_signals_install(void);

/* @return the signal that asked the command to stop, or 0. */
int cli_stop_signal(void);

/* When a signal asked the command to stop and the command did not complete
 * (`code` is not 0), ends the process by that signal (its default action) and
 * does not return; else returns `code`. A signal that came after the work was
 * done (the output in place) changes nothing. */
int cli_stop_signals_finish(int code);

#endif /* FIMBIT_CLI_STOP_SIGNALS_H */
