#ifndef CHAOSLAB_CFASTLANE_H
#define CHAOSLAB_CFASTLANE_H
#include <stdint.h>
#include <sys/types.h>

/// Thin wrappers over Linux's epoll and eventfd, which Swift's Glibc module does not
/// export, for the fault proxy's fast path (Sources/FaultProxy/FastPath). Each returns
/// what the system call returns (-1 with errno set on failure).

/// Readiness bits, as `chaoslab_lane_wait` reports them.
enum {
    CHAOSLAB_LANE_READABLE = 1,  /// data, an end of stream, a hang-up or an error to read
    CHAOSLAB_LANE_WRITABLE = 2,  /// room in the send buffer (or a hang-up or an error)
    CHAOSLAB_LANE_PEER_CLOSED = 4,  /// the peer's end of stream arrived (EPOLLRDHUP or EPOLLHUP)
};

/// An edge-triggered epoll instance (close-on-exec).
int chaoslab_lane_create(void);

/// Watches `fd` for reading and writing, edge-triggered, reporting `token` with its events.
int chaoslab_lane_add(int epfd, int fd, uint64_t token);

/// Stops watching `fd`.
int chaoslab_lane_remove(int epfd, int fd);

/// Waits up to `timeout_ms` (-1: forever) for at most `max` events; fills `tokens` and
/// `events` (CHAOSLAB_LANE_ bits). Returns the count, or -1 (EINTR included).
int chaoslab_lane_wait(int epfd, uint64_t *tokens, uint32_t *events, int max, int timeout_ms);

/// A non-blocking, close-on-exec eventfd, to wake a lane.
int chaoslab_lane_eventfd(void);

/// Adds one to an eventfd (wakes its lane); drains it (after a wake-up).
void chaoslab_lane_signal(int efd);
void chaoslab_lane_drain(int efd);

/// send(2) with MSG_NOSIGNAL (a peer gone answers EPIPE, not SIGPIPE).
ssize_t chaoslab_lane_send(int fd, const void *buffer, size_t length);

/// Names the calling thread (as `top -H` shows it).
void chaoslab_lane_name_thread(const char *name);

/// Opens a non-blocking, close-on-exec TCP socket with TCP_NODELAY and starts connecting it
/// to `host` (a numeric IPv4 or IPv6 address) on `port`. Returns the socket, connected or
/// connecting (epoll reports it writable once connected; `chaoslab_lane_socket_error` then
/// says whether it failed), or -1: errno EAFNOSUPPORT when `host` is not a numeric address
/// (nothing was opened), else the error of socket(2) or connect(2).
int chaoslab_lane_dial(const char *host, int port);

/// The pending error of a socket (SO_ERROR): 0 once a connect succeeded.
int chaoslab_lane_socket_error(int fd);

#endif
