#define _GNU_SOURCE
#include "CSpawn.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

int chaoslab_set_pdeathsig(int sig) {
#ifdef __linux__
    return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0);
#else
    (void)sig;
    return 0;
#endif
}

int chaoslab_pipe(int fds[2]) {
#ifdef __linux__
    return pipe2(fds, O_CLOEXEC);
#else
    if (pipe(fds) != 0) return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

/* The child's side of chaoslab_spawn, between vfork and execve: only async-signal-safe system
   calls, on a stack frame of its own below the parent's (vfork shares the parent's memory). */
__attribute__((noreturn, noinline))
static void run_child(const char *path, char *const argv[], char *const envp[], int out_fd, const char *directory,
                      int report_fd, pid_t launcher) {
    int code = 0;
    setpgid(0, 0); /* a process group of its own: a Ctrl-C in the terminal reaches the lab server only */
#ifdef __linux__
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) code = errno;
    if (getppid() != launcher) _exit(1); /* the launcher died before the signal was armed */
#endif
    if (code == 0 && directory != NULL && chdir(directory) != 0) code = errno;
    int null_fd = code == 0 ? open("/dev/null", O_RDONLY) : -1;
    if (code == 0 && null_fd < 0) code = errno;
    if (code == 0 && (dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)) code = errno;
    if (code == 0) {
        /* Nothing else crosses over: an inherited copy of a proxied socket would keep that
           connection open in the child after the proxy closed it. The report pipe is
           close-on-exec, so it stays open until execve. */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
        if (report_fd > 3) close_range(3, (unsigned)report_fd - 1, 0);
        close_range((unsigned)report_fd + 1, ~0U, 0);
#else
        for (int fd = 3; fd < 4096; fd++) {
            if (fd != report_fd) close(fd);
        }
#endif
        struct sigaction defaults;
        defaults.sa_handler = SIG_DFL;
        defaults.sa_flags = 0;
        sigemptyset(&defaults.sa_mask);
        for (int sig = 1; sig < NSIG; sig++) {
            if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &defaults, NULL);
        }
        sigset_t empty;
        sigemptyset(&empty);
        sigprocmask(SIG_SETMASK, &empty, NULL);
        execve(path, argv, envp);
        code = errno;
    }
    ssize_t ignored = write(report_fd, &code, sizeof code);
    (void)ignored;
    _exit(127);
}

int chaoslab_spawn(const char *path, char *const argv[], char *const envp[], int out_fd, const char *directory,
                   pid_t *pid) {
    /* Not posix_spawn: the child must arm its parent-death signal before it runs the program,
       which may be anything (a Python service links no CSpawn). vfork, as posix_spawn itself
       does, so that no page table of a large lab server is copied: the parent waits until the
       child has called execve or exited. Every signal is blocked meanwhile, so that no handler
       of the lab server runs in the child; the child resets them all before execve. A failure
       comes back as an errno value through a close-on-exec pipe, which execve closes on success. */
    int report[2];
    if (chaoslab_pipe(report) != 0) return errno;
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t launcher = getpid();
    pid_t child = vfork();
    if (child == 0) run_child(path, argv, envp, out_fd, directory, report[1], launcher);
    int spawn_error = child < 0 ? errno : 0;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(report[1]);
    if (child < 0) {
        close(report[0]);
        return spawn_error;
    }
    int code = 0;
    ssize_t got;
    do {
        got = read(report[0], &code, sizeof code);
    } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof code) {
        waitpid(child, NULL, 0); /* the child exits at once; it was never a service */
        return code;
    }
    *pid = child;
    return 0;
}

/* A process started by chaoslab (a demo service, or a lab server started by a
   test) dies with the thread that started it, even when that process is killed
   with SIGKILL. The signal is armed here, on the main thread, before the Swift
   runtime starts: Linux keeps it per thread, and a pooled thread that retires
   would take it along. */
__attribute__((constructor)) static void chaoslab_die_with_launcher(void) {
    const char *launcher = getenv("CHAOSLAB_PARENT_PID");
    if (launcher == NULL || *launcher == 0) return;
    chaoslab_set_pdeathsig(SIGKILL);
    if (getppid() != (pid_t)atol(launcher)) _exit(1); /* the launcher died before the signal was armed */
}
