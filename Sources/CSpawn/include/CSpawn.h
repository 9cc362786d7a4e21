#ifndef CHAOSLAB_CSPAWN_H
#define CHAOSLAB_CSPAWN_H
#include <sys/types.h>

/// Asks the kernel to send `sig` to this process when the thread that created
/// it dies (Linux PR_SET_PDEATHSIG). Returns 0, or -1 with errno set.
int chaoslab_set_pdeathsig(int sig);

/// Creates a pipe whose two ends are close-on-exec. Returns 0, or -1 with errno set.
int chaoslab_pipe(int fds[2]);

/// Starts `path` with `argv` and `envp` in `directory` (the current one when NULL): standard
/// input from /dev/null, standard output and error into `out_fd`, no other descriptor, an
/// empty signal mask, default signal dispositions, a process group of its own (so that a
/// Ctrl-C in the terminal reaches the lab server only, which then stops its children) and
/// SIGKILL when the calling thread dies (Linux), whatever program it is.
/// Returns 0 and sets `*pid`, or an errno value (of chdir or execve too).
int chaoslab_spawn(const char *path, char *const argv[], char *const envp[], int out_fd, const char *directory,
                   pid_t *pid);

#endif
