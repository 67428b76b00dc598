// SPDX-License-Identifier: Apache-2.0
#include "dejfa/fileio.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include <sys/stat.h>

namespace dejfa {

namespace {

std::string human(std::uint64_t b) {
  if (b >= (std::uint64_t{1} << 30)) return std::to_string(b >> 30) + " GiB";
  if (b >= (std::uint64_t{1} << 20)) return std::to_string(b >> 20) + " MiB";
  return std::to_string(b) + " bytes";
}

template <class Buf>
bool read_capped(const std::string& path, std::uint64_t max_bytes, const char* what, Buf& out,
                 std::string& err) {
  out.clear();
  auto too_big = [&](std::uint64_t size, bool at_least) {
    err = path + ": " + (at_least ? "more than " : "") + std::to_string(size) + " bytes; a " +
          what + " may have at most " + human(max_bytes);
    return false;
  };
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    err = "cannot open " + std::string(what) + ": " + path + ": " + std::strerror(errno);
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    err = "cannot open " + std::string(what) + ": " + path + ": is a directory";
    return false;
  }
  if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    return too_big(static_cast<std::uint64_t>(st.st_size), false);
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    err = "cannot open " + std::string(what) + ": " + path;
    return false;
  }
  char buf[1 << 16];
  while (f.read(buf, sizeof buf) || f.gcount() > 0) {
    const auto n = static_cast<std::size_t>(f.gcount());
    if (out.size() + n > max_bytes) return too_big(max_bytes, true);
    out.insert(out.end(), buf, buf + n);
  }
  if (f.bad()) {
    err = "cannot read " + std::string(what) + ": " + path;
    return false;
  }
  return true;
}

}  // namespace

bool read_file(const std::string& path, std::uint64_t max_bytes, const char* what, std::string& out,
               std::string& err) {
  return read_capped(path, max_bytes, what, out, err);
}

bool read_file(const std::string& path, std::uint64_t max_bytes, const char* what,
               std::vector<std::uint8_t>& out, std::string& err) {
  return read_capped(path, max_bytes, what, out, err);
}

}  // namespace dejfa
