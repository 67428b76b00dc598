// SPDX-License-Identifier: Apache-2.0
//
// The register bus the driver talks through: 32-bit reads and writes at byte offsets of the
// core's register space (docs/registers.md). Back ends: the Verilated core's AXI4-Lite port
// (sim/), a memory-mapped file (the shape of a PCIe BAR; tested on a plain file), a card's BAR.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace dejfa {

/// A bus or device failure the caller cannot recover from by retrying (missing device,
/// permission, a read of all-ones from a card that is gone).
class BusError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RegisterBus {
 public:
  RegisterBus() = default;
  RegisterBus(const RegisterBus&) = delete;
  RegisterBus& operator=(const RegisterBus&) = delete;
  RegisterBus(RegisterBus&&) = delete;
  RegisterBus& operator=(RegisterBus&&) = delete;
  virtual ~RegisterBus() = default;
  /// Reads the 32-bit register at byte offset `off` (a multiple of 4).
  virtual std::uint32_t read32(std::uint32_t off) = 0;
  /// Writes the 32-bit register at byte offset `off` (a multiple of 4).
  virtual void write32(std::uint32_t off, std::uint32_t value) = 0;
  /// What the bus is, for messages ("verilator 10g", "file x.bin", "0000:3b:00.0 BAR2").
  [[nodiscard]] virtual std::string name() const = 0;
};

/// A memory-mapped file or device resource: `size` bytes from `offset` (page aligned) mapped
/// read-write and shared; accesses are aligned volatile 32-bit loads and stores, as on a BAR.
class MmapBus : public RegisterBus {
 public:
  /// Opens `path` (O_RDWR | O_SYNC); throws BusError with the reason (missing, permission,
  /// too small, mmap refused).
  MmapBus(const std::string& path, std::size_t size, std::size_t offset = 0);
  ~MmapBus() override;
  std::uint32_t read32(std::uint32_t off) override;
  void write32(std::uint32_t off, std::uint32_t value) override;
  [[nodiscard]] std::string name() const override { return "file " + path_; }

 private:
  void check(std::uint32_t off) const;
  std::string path_;
  int fd_ = -1;
  void* base_ = nullptr;
  std::size_t size_ = 0;
};

/// The register bus of a `dejfa simcard` process (a Verilated core serving register accesses on
/// a Unix socket while traffic runs). Each access is one request, 12 bytes little-endian
/// {op (0 read, 1 write), offset, value}, answered by 4 bytes {value read, or 0}.
class SocketBus : public RegisterBus {
 public:
  /// Connects to the socket at `path`; throws BusError with the reason.
  explicit SocketBus(const std::string& path);
  ~SocketBus() override;
  std::uint32_t read32(std::uint32_t off) override;
  void write32(std::uint32_t off, std::uint32_t value) override;
  [[nodiscard]] std::string name() const override { return "simcard " + path_; }

 private:
  std::uint32_t call(std::uint32_t op, std::uint32_t off, std::uint32_t value);
  std::string path_;
  int fd_ = -1;
};

}  // namespace dejfa
