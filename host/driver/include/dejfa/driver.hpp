// SPDX-License-Identifier: Apache-2.0
//
// The driver: the same code runs the Verilated core (sim/) and a card (a PCIe BAR). It identifies
// the hardware, refuses an image built for other parameters, loads the shadow bank, commits,
// tunes rules (enable/disable, action) hitlessly, and reads counters through the snapshot.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dejfa/gen/regs.hpp"

#include "dejfa/image_tables.hpp"
#include "dejfa/regbus.hpp"

namespace dejfa {

class DriverError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HwInfo {
  std::uint32_t id = 0, version = 0, image_fmt = 0;
  std::array<std::uint32_t, hw::kParamNames.size()> params{};
  const hw::Config* config = nullptr;  ///< the configuration whose parameters it reports
};

struct HwStatus {
  bool active_bank = false, commit_pending = false, snapshot_busy = false;
};

struct Counters {
  std::array<std::uint64_t, hw::kGcntN> global{};
  std::vector<std::uint64_t> packets, bytes;  ///< per rule slot of the loaded image
  std::uint32_t seq = 0;                      ///< SNAP_SEQ of this snapshot
};

class Driver {
 public:
  /// `wait` is called between polls (a simulator advances its clock there; a card sleeps).
  /// `polls` bounds every wait (COMMIT draining, snapshot) before it is reported as failed.
  explicit Driver(RegisterBus& bus, std::function<void()> wait = {},
                  std::uint32_t polls = 1'000'000);

  /// Reads ID, VERSION, IMAGE_FMT and the parameters; throws DriverError when the ID is wrong,
  /// a read returns all-ones (the card is gone or its BAR is not enabled), the major version or
  /// image format differ, or the parameters match no known configuration.
  const HwInfo& identify();
  [[nodiscard]] const HwInfo& info() const { return info_; }

  /// Writes the image into the shadow bank and commits it. Refuses (DriverError, nothing
  /// written) an image whose parameters differ from the hardware's. Only the words and entries
  /// that differ from what the driver last wrote into that bank are written (a delta load); a
  /// bank it has not written since it was made (or since forget_banks) is written whole.
  void load(const Image& img);
  /// The first half of `load`: the image into the shadow bank, checked, without COMMIT (a
  /// caller that commits itself: the load is complete once COMMIT has drained; until then
  /// image() is null and IMAGE_TAG unchanged).
  void stage(const Image& img);
  /// COMMIT and wait until the old bank has drained (STATUS.COMMIT_PENDING clear).
  void commit();

  /// The IMAGE_TAG value `load` leaves for an image: the CRC-32 of its encoding, 1 if that is 0
  /// (0 means "nothing loaded since reset or programming").
  [[nodiscard]] static std::uint32_t tag_of(const Image& img);
  /// IMAGE_TAG as the hardware reports it (throws DriverError on all-ones).
  [[nodiscard]] std::uint32_t image_tag();
  /// Adopts an image a previous process loaded (a CLI run on a card): `flags` are the RULE_FLAGS
  /// words it left (tuning included). Throws DriverError unless the hardware's IMAGE_TAG is
  /// tag_of(img) and its parameters are the image's. Nothing is written; the shadow bank is
  /// treated as stale, so the first tuning operation rewrites it whole.
  void attach(const Image& img, std::vector<std::uint32_t> flags);
  /// RULE_FLAGS of every rule slot as the active bank holds them.
  [[nodiscard]] const std::vector<std::uint32_t>& flags() const { return flags_; }
  [[nodiscard]] HwStatus status();
  void set_control(bool enable, bool malformed_drop, bool overflow_drop);
  [[nodiscard]] std::uint32_t control();

  /// Index of the rule with this sid (gid 1 unless given); throws DriverError if none.
  [[nodiscard]] std::size_t rule_index(std::uint32_t sid, std::uint32_t gid = 1) const;
  /// Hitless: the rule's RULE_FLAGS word changes in the shadow, COMMIT, and the new shadow gets
  /// the same word (so both banks hold the same tables again).
  void set_rule_enabled(std::size_t rule, bool on);
  void set_rule_action(std::size_t rule, Action a);
  [[nodiscard]] bool rule_enabled(std::size_t rule) const;
  [[nodiscard]] Action rule_action(std::size_t rule) const;

  /// A consistent snapshot of the global and per-rule counters.
  Counters counters();

  [[nodiscard]] const Image* image() const { return loaded_ ? &img_ : nullptr; }
  /// Register writes issued so far (for the hitless-update measurement).
  [[nodiscard]] std::uint64_t writes() const { return writes_; }
  /// Forgets what the banks hold, so that the next load or tuning writes the shadow bank whole
  /// (after a reset or another writer the driver did not see).
  void forget_banks() {
    bank_ = {};
    shadow_stale_ = true;  // a tuning brings the shadow up to date first, whole
  }

 private:
  std::uint32_t rd(std::uint32_t off);
  void wr(std::uint32_t off, std::uint32_t v);
  void wait_not_pending();
  /// What the driver wrote into one bank (by its number, STATUS.ACTIVE_BANK): TABLES words and
  /// [[rtable]] entries. A write the hardware refused makes the bank unknown again.
  struct BankMirror {
    std::vector<std::uint32_t> words;         ///< TABLES window, by word address
    std::vector<bool> known;                  ///< words[i] was written
    std::array<std::vector<RtEntry>, 32> rt;  ///< entries 0 .. size-1 were written
  };
  /// The shadow bank's number (reads STATUS) and its mirror, made empty when unknown.
  BankMirror& shadow_mirror();
  /// The words of `w` that differ from `m` into the TABLES window (the shadow bank).
  void write_tables(const std::vector<TableWrite>& w, BankMirror& m);
  void sync_shadow();
  void update_rule(std::size_t rule, std::uint32_t flags);
  /// Format 3: every [[rtable]] table of the image into the shadow bank through the record port
  /// (RT_SEL, RT_IDX, RT_DATA words, RT_FILL for runs), each checked by RT_COUNT.
  void write_rtables(BankMirror& m);
  /// GROUP_EN entry of indexed group `g` from the flags of its two rule ids.
  [[nodiscard]] std::uint32_t group_en_word(std::uint32_t g) const;
  /// The GROUP_EN entry of group `g` into the shadow bank, checked by RT_COUNT.
  void write_group_en(std::uint32_t g, BankMirror& m);
  /// A RULE_FLAGS word into the shadow bank.
  void write_rule_flags(std::uint32_t rule, std::uint32_t flags, BankMirror& m);
  /// Throws DriverError unless RT_COUNT says `n` entries and no refusal since RT_SEL.
  void rt_check(std::uint32_t tbl, std::uint32_t n);
  /// Polls RT_COUNT until it reaches `n` (a running fill) or reports a refusal.
  void wait_count(std::uint32_t tbl, std::uint32_t n);
  /// Fills longer than this are waited for by polling instead of by a held register write.
  static constexpr std::uint32_t kFillWait = 256;

  RegisterBus& bus_;
  std::function<void()> wait_;
  std::uint32_t polls_;
  HwInfo info_;
  Image img_;
  bool loaded_ = false;
  bool shadow_stale_ = true;  ///< the shadow bank does not hold the active tables
  /// RULE_FLAGS word of each rule id as loaded and tuned (an indexed rule's: ENABLED and ACTION)
  std::vector<std::uint32_t> flags_;
  std::uint64_t writes_ = 0;
  std::array<std::optional<BankMirror>, 2> bank_;
  std::size_t shadow_ = 0;  ///< the bank shadow_mirror() last named
};

}  // namespace dejfa
