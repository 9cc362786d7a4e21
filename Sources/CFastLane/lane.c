#include "CFastLane.h"

#ifdef __linux__

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

int chaoslab_lane_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int chaoslab_lane_add(int epfd, int fd, uint64_t token) {
    struct epoll_event event = {0};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.u64 = token;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}

int chaoslab_lane_remove(int epfd, int fd) {
    struct epoll_event event = {0};
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &event);
}

int chaoslab_lane_wait(int epfd, uint64_t *tokens, uint32_t *events, int max, int timeout_ms) {
    struct epoll_event ready[256];
    if (max > 256) max = 256;
    int count = epoll_wait(epfd, ready, max, timeout_ms);
    for (int i = 0; i < count; i++) {
        uint32_t bits = 0;
        uint32_t e = ready[i].events;
        if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) bits |= CHAOSLAB_LANE_READABLE;
        if (e & (EPOLLOUT | EPOLLHUP | EPOLLERR)) bits |= CHAOSLAB_LANE_WRITABLE;
        if (e & (EPOLLRDHUP | EPOLLHUP)) bits |= CHAOSLAB_LANE_PEER_CLOSED;
        tokens[i] = ready[i].data.u64;
        events[i] = bits;
    }
    return count;
}

int chaoslab_lane_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

void chaoslab_lane_signal(int efd) {
    uint64_t one = 1;
    ssize_t written;
    do {
        written = write(efd, &one, sizeof one);
    } while (written < 0 && errno == EINTR);
}

void chaoslab_lane_drain(int efd) {
    uint64_t count;
    ssize_t got;
    do {
        got = read(efd, &count, sizeof count);
    } while (got < 0 && errno == EINTR);
}

ssize_t chaoslab_lane_send(int fd, const void *buffer, size_t length) {
    return send(fd, buffer, length, MSG_NOSIGNAL);
}

void chaoslab_lane_name_thread(const char *name) { prctl(PR_SET_NAME, name, 0, 0, 0); }

int chaoslab_lane_dial(const char *host, int port) {
    struct sockaddr_storage address;
    memset(&address, 0, sizeof address);
    socklen_t length;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&address;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&address;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        length = sizeof *v4;
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        length = sizeof *v6;
    } else {
        errno = EAFNOSUPPORT;
        return -1;
    }
    int fd = socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int result;
    do {
        result = connect(fd, (struct sockaddr *)&address, length);
    } while (result < 0 && errno == EINTR);
    if (result < 0 && errno != EINPROGRESS) {
        int error = errno;
        close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

int chaoslab_lane_socket_error(int fd) {
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0) return errno;
    return error;
}

#else
// Elsewhere there is no epoll: every call fails with ENOSYS and the proxy forwards through
// the toxic chain only (FaultProxy.fastPathByDefault is false).
#include <errno.h>
int chaoslab_lane_create(void) { errno = ENOSYS; return -1; }
int chaoslab_lane_add(int epfd, int fd, uint64_t token) { errno = ENOSYS; return -1; }
int chaoslab_lane_remove(int epfd, int fd) { errno = ENOSYS; return -1; }
int chaoslab_lane_wait(int epfd, uint64_t *tokens, uint32_t *events, int max, int timeout_ms) { errno = ENOSYS; return -1; }
int chaoslab_lane_eventfd(void) { errno = ENOSYS; return -1; }
void chaoslab_lane_signal(int efd) {}
void chaoslab_lane_drain(int efd) {}
ssize_t chaoslab_lane_send(int fd, const void *buffer, size_t length) { errno = ENOSYS; return -1; }
void chaoslab_lane_name_thread(const char *name) {}
int chaoslab_lane_dial(const char *host, int port) { errno = ENOSYS; return -1; }
int chaoslab_lane_socket_error(int fd) { return ENOSYS; }
#endif
