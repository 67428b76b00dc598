// SPDX-License-Identifier: Apache-2.0
//
// MmapBus: a memory-mapped file or PCIe BAR resource.

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dejfa/regbus.hpp"

namespace dejfa {

MmapBus::MmapBus(const std::string& path, std::size_t size, std::size_t offset)
    : path_(path), size_(size) {
  fd_ = ::open(path.c_str(), O_RDWR | O_SYNC | O_CLOEXEC);
  if (fd_ < 0) {
    const int e = errno;
    throw BusError(
        path + ": cannot open: " + std::strerror(e) +
        (e == EACCES || e == EPERM ? " (needs root or write permission on the resource)" : ""));
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<std::size_t>(st.st_size) < offset + size) {
    ::close(fd_);
    throw BusError(path + ": " + std::to_string(st.st_size) + " bytes, the register window needs " +
                   std::to_string(offset + size));
  }
  base_ =
      ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, static_cast<off_t>(offset));
  if (base_ == MAP_FAILED) {
    const int e = errno;
    ::close(fd_);
    throw BusError(
        path + ": mmap refused: " + std::strerror(e) +
        (e == EPERM ? " (kernel lockdown or iomem=strict forbids mapping the BAR)" : ""));
  }
}

MmapBus::~MmapBus() {
  if (base_ != nullptr && base_ != MAP_FAILED) ::munmap(base_, size_);
  if (fd_ >= 0) ::close(fd_);
}

void MmapBus::check(std::uint32_t off) const {
  if (off % 4 != 0 || std::size_t{off} + 4 > size_) {
    throw BusError(path_ + ": register offset 0x" + std::to_string(off) +
                   " is unaligned or outside the window");
  }
}

std::uint32_t MmapBus::read32(std::uint32_t off) {
  check(off);
  return *reinterpret_cast<volatile std::uint32_t*>(static_cast<char*>(base_) + off);
}

void MmapBus::write32(std::uint32_t off, std::uint32_t value) {
  check(off);
  *reinterpret_cast<volatile std::uint32_t*>(static_cast<char*>(base_) + off) = value;
}

}  // namespace dejfa
