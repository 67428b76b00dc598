// SPDX-License-Identifier: Apache-2.0
//
// Version 3's header tables as the hardware holds them (docs/IMAGE.md 4.6): one bank of every
// [[rtable]] table, entry by entry in the record port's words, and what the header path
// (hw/rtl/dejfa_hdr_path.sv: address classes, wide block, verify lanes) computes from them for a
// packet. This is the image model's header stage for image format 3: it reads nothing but the
// tables, so an image decoded from its sections and the hardware loaded from them judge alike,
// while dejfa::hdr's structures (Index, Wide) are how the compiler builds them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/decode.hpp"
#include "dejfa/hdr_index.hpp"

namespace dejfa::hdr {

/// One bank of version 3's header tables, each sized to its capacity in the configuration.
class Tables {
 public:
  using Entry = RtEntry;

  explicit Tables(const Limits& lim);

  /// Entries table `tbl` holds in a configuration of these limits (0: no such table).
  [[nodiscard]] static std::uint32_t capacity(const Limits& lim, std::uint32_t tbl);
  [[nodiscard]] std::uint32_t capacity(std::uint32_t tbl) const { return capacity(lim_, tbl); }
  /// Writes one entry as the header path takes it (an ADDR_BOUNDS entry i also sets the count of
  /// boundaries to i + 1). False, and nothing written, for a table id without a table or an
  /// entry beyond the table's capacity.
  bool write(const RecWrite& w);
  [[nodiscard]] const Entry& at(std::uint32_t tbl, std::uint32_t idx) const { return t_[tbl][idx]; }
  [[nodiscard]] const Limits& limits() const { return lim_; }
  /// Boundaries in use (ADDR_BOUNDS' last entry written + 1; 1 when none was).
  [[nodiscard]] std::uint32_t addr_n() const { return addr_n_; }

 private:
  Limits lim_;
  std::array<std::vector<Entry>, 32> t_;
  std::uint32_t addr_n_ = 1;
};

/// One verify lane as dejfa_hdr_verify gives it: whether its slot's group matched, the slot's
/// group field, and that group's GROUP_EN.
struct Lane {
  bool hit = false;
  std::uint32_t group = 0, en = 0;
};

/// What the header path computes for a packet from the tables alone: the spec vector (spec_n
/// bits), every wide slot's header match (wide_n bits), the packet's address classes, and the 8
/// lanes (lane 2 f + k: slot k of record f = source address, destination address, source port,
/// destination port, of side f mod 2). A packet that is not IP has no spec, wide or lane hits
/// (its lanes still name their slots' groups and GROUP_EN, as the block's do).
struct PathOut {
  Row spec, wide;
  std::array<std::uint32_t, 2> acls{}, pcls{};  ///< address classes; port classes (0: no ports)
  std::array<Lane, 8> lanes{};
};
PathOut path_eval(const Tables& t, const Packet& p);
/// A packet's header descriptor (IMAGE.md 4.2), what the lanes behind issue #25's expansion hold
/// for a frame (docs/ARCHITECTURE.md section 7, "The lanes behind the expansion"): ip valid, the
/// four class ids (source and destination address, source and destination port), each class's
/// complex-set bits (its class record's CSET) and the spec vector (SPEC_N bits).
struct Descriptor {
  bool ip = false;
  std::array<std::uint32_t, 4> cls{};
  std::array<std::uint64_t, 4> cset{};
  Row spec;
};
/// The descriptor of a packet from path_eval's result `o` and the class records.
Descriptor descriptor_of(const Tables& t, const Packet& p, const PathOut& o);
/// Whether content rule `rule`'s header matches the packet of descriptor `d`: its group
/// (CONT_REC) checked against the classes, their complex-set bits and the spec vector, either
/// orientation, the traded one for `<>` groups only; false for a packet that is not IP.
bool content_match(const Tables& t, const Descriptor& d, std::uint32_t rule);

}  // namespace dejfa::hdr
