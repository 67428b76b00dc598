// SPDX-License-Identifier: Apache-2.0
//
// SocketBus: register accesses to a `dejfa simcard` process over a Unix socket.

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "dejfa/regbus.hpp"

namespace dejfa {

namespace {

void put32(unsigned char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

std::uint32_t get32(const unsigned char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

SocketBus::SocketBus(const std::string& path) : path_(path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (path.size() >= sizeof a.sun_path) throw BusError(path + ": socket path too long");
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw BusError(std::string("socket: ") + std::strerror(errno));
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    const int e = errno;
    ::close(fd_);
    fd_ = -1;
    throw BusError(path + ": cannot connect to a dejfa simcard: " + std::strerror(e) +
                   " (start one with dejfa simcard --socket " + path + ")");
  }
}

SocketBus::~SocketBus() {
  if (fd_ >= 0) ::close(fd_);
}

std::uint32_t SocketBus::call(std::uint32_t op, std::uint32_t off, std::uint32_t value) {
  if (off % 4 != 0) throw BusError(path_ + ": unaligned register offset");
  unsigned char req[12];
  put32(req, op);
  put32(req + 4, off);
  put32(req + 8, value);
  for (std::size_t done = 0; done < sizeof req;) {
    const ssize_t n = ::send(fd_, req + done, sizeof req - done, MSG_NOSIGNAL);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      throw BusError(path_ + ": the simcard went away (" + std::strerror(errno) + ")");
    }
    done += static_cast<std::size_t>(n);
  }
  unsigned char rep[4];
  for (std::size_t done = 0; done < sizeof rep;) {
    const ssize_t n = ::recv(fd_, rep + done, sizeof rep - done, 0);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      throw BusError(path_ + ": the simcard went away");
    }
    done += static_cast<std::size_t>(n);
  }
  return get32(rep);
}

std::uint32_t SocketBus::read32(std::uint32_t off) { return call(0, off, 0); }

void SocketBus::write32(std::uint32_t off, std::uint32_t value) { call(1, off, value); }

}  // namespace dejfa
