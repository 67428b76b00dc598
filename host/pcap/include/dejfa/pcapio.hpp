// SPDX-License-Identifier: Apache-2.0
//
// Capture files through libpcap (pcap and pcapng). Every supported link type is turned into the
// Ethernet II frame the hardware would see: raw IP (DLT_RAW, DLT_IPV4, DLT_IPV6), BSD loopback
// (DLT_NULL, DLT_LOOP) and Linux cooked captures (DLT_LINUX_SLL, DLT_LINUX_SLL2) get a synthetic
// Ethernet header; other link types are refused by name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dejfa {

struct CapturedFrame {
  std::uint64_t ts_ns = 0;          ///< capture timestamp
  std::uint32_t orig_len = 0;       ///< length on the wire (of the original link layer)
  std::uint32_t caplen = 0;         ///< bytes captured (of the original link layer)
  std::vector<std::uint8_t> frame;  ///< Ethernet II frame
  std::vector<std::uint8_t> raw;    ///< the captured bytes as stored
};

/// The captures at `path`: the file itself, or every .pcap and .pcapng file below a directory, in
/// sorted order (so a run over a folder of captures always sees the same frames in the same order).
std::vector<std::string> capture_files(const std::string& path);

class PcapReader {
 public:
  PcapReader();
  ~PcapReader();
  PcapReader(const PcapReader&) = delete;
  PcapReader& operator=(const PcapReader&) = delete;
  PcapReader(PcapReader&& other) noexcept;
  PcapReader& operator=(PcapReader&& other) noexcept;

  /// False with `err` set when the file can't be read or its link type is unsupported.
  bool open(const std::string& path, std::string& err);
  /// Next frame; false at the end or on a read error (then error() is non-empty).
  bool next(CapturedFrame& out);
  [[nodiscard]] int linktype() const;
  [[nodiscard]] const std::string& error() const { return err_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string err_;
};

class PcapWriter {
 public:
  PcapWriter();
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  /// Writes a nanosecond-resolution pcap with the given link type (default Ethernet).
  bool open(const std::string& path, std::string& err, int linktype = 1);
  /// False once writing has failed (a full disk, a closed pipe); error() says why.
  bool write(std::uint64_t ts_ns, const std::uint8_t* data, std::uint32_t caplen,
             std::uint32_t orig_len);
  /// Flushes and closes; false if anything written since open() did not reach the file.
  bool close();
  [[nodiscard]] const std::string& error() const { return err_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_, err_;
};

}  // namespace dejfa
