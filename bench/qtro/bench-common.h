// bench-common.h: what qtro-server and qtro-client share (see ../PROTOCOL.md)

#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTimer>
#include <QtCore/QUrl>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <unistd.h>

// CLOCK_MONOTONIC in microseconds, as PROTOCOL.md asks.
static inline qint64
bench_now_us()
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

// "unix:/path" -> QUrl "local:/path" (QtRO's local: backend hands
// QUrl::path() to QLocalServer::listen / QLocalSocket::connectToServer, and
// QLocalServer takes an absolute path as the socket's path);
// "tcp:HOST:PORT" -> "tcp://HOST:PORT". An invalid QUrl for anything else.
static inline QUrl
bench_qtro_url(const char *address)
{
  QUrl url;

  if (strncmp(address, "unix:", 5) == 0 && address[5] != '\0') {
    url.setScheme(QStringLiteral("local"));
    url.setPath(QString::fromLocal8Bit(address + 5));
  } else if (strncmp(address, "tcp:", 4) == 0) {
    url = QUrl(QStringLiteral("tcp://") + QString::fromLocal8Bit(address + 4));
    if (url.host().isEmpty() || url.port() <= 0)
      url = QUrl();
  }
  return url;
}

[[noreturn]] static inline void
bench_fail(const char *program, const char *what)
{
  fprintf(stderr, "%s: %s\n", program, what);
  fflush(stdout);
  _exit(1);
}

// Quits the application's event loop when stdin closes (or fails).
static inline void
bench_quit_on_stdin_eof()
{
  auto *notifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read,
                                       QCoreApplication::instance());

  QObject::connect(notifier, &QSocketNotifier::activated, notifier, [notifier] {
    char buf[256];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);

    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
      notifier->setEnabled(false);
      QCoreApplication::quit();
    }
  });
}
