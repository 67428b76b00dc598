// SPDX-License-Identifier: Apache-2.0
//
// The driver (docs/registers.md for the registers, docs/HARDWARE.md for COMMIT and SNAPSHOT).

#include "dejfa/driver.hpp"

#include <cstdio>
#include <cstring>

#include "dejfa/image_codec.hpp"

namespace dejfa {

namespace {

std::string hex(std::uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08X", v);
  return b;
}

}  // namespace

Driver::Driver(RegisterBus& bus, std::function<void()> wait, std::uint32_t polls)
    : bus_(bus), wait_(std::move(wait)), polls_(polls) {}

std::uint32_t Driver::rd(std::uint32_t off) { return bus_.read32(off); }

void Driver::wr(std::uint32_t off, std::uint32_t v) {
  bus_.write32(off, v);
  ++writes_;
}

const HwInfo& Driver::identify() {
  HwInfo in;
  in.id = rd(hw::reg::ID);
  if (in.id == 0xFFFFFFFFU) {
    throw DriverError(bus_.name() +
                      ": the ID register reads all-ones: the card is gone, in reset, or its BAR "
                      "memory decoding is off (setpci COMMAND)");
  }
  if (in.id != hw::kCoreId) {
    throw DriverError(bus_.name() + ": ID register is " + hex(in.id) + ", not dejfa's " +
                      hex(hw::kCoreId) + " (wrong device or window offset)");
  }
  in.version = rd(hw::reg::VERSION);
  in.image_fmt = rd(hw::reg::IMAGE_FMT);
  if ((in.version >> hw::field::VERSION_MAJOR_LSB) !=
      (hw::kCoreVersion >> hw::field::VERSION_MAJOR_LSB)) {
    throw DriverError(bus_.name() + ": hardware version " + hex(in.version) +
                      " has another major version than this driver's " + hex(hw::kCoreVersion));
  }
  if (in.image_fmt != hw::kImageFormat) {
    throw DriverError(bus_.name() + ": hardware takes rule-image format " +
                      std::to_string(in.image_fmt) + ", this driver writes " +
                      std::to_string(hw::kImageFormat));
  }
  for (std::size_t i = 0; i < in.params.size(); ++i) in.params[i] = rd(hw::kParamRegs[i]);
  for (const auto& c : hw::kConfigs) {
    if (c.params() == in.params) in.config = &c;
  }
  if (in.config == nullptr) {
    std::string p;
    for (std::size_t i = 0; i < in.params.size(); ++i) {
      p += std::string(i != 0 ? ", " : "") + std::string(hw::kParamNames[i]) + "=" +
           std::to_string(in.params[i]);
    }
    throw DriverError(bus_.name() + ": parameters match no known configuration: " + p);
  }
  info_ = in;
  return info_;
}

HwStatus Driver::status() {
  const std::uint32_t s = rd(hw::reg::STATUS);
  if (s == 0xFFFFFFFFU)
    throw DriverError(bus_.name() + ": STATUS reads all-ones: the card is gone");
  return {(s & hw::field::STATUS_ACTIVE_BANK_MASK) != 0,
          (s & hw::field::STATUS_COMMIT_PENDING_MASK) != 0,
          (s & hw::field::STATUS_SNAPSHOT_BUSY_MASK) != 0};
}

void Driver::wait_not_pending() {
  for (std::uint32_t i = 0; i < polls_; ++i) {
    if (!status().commit_pending) return;
    if (wait_) wait_();
  }
  throw DriverError(bus_.name() + ": COMMIT did not complete (frames of the old bank never left)");
}

void Driver::commit() {
  wait_not_pending();
  wr(hw::reg::COMMIT, hw::field::COMMIT_GO_MASK);
  wait_not_pending();
}

Driver::BankMirror& Driver::shadow_mirror() {
  shadow_ = status().active_bank ? 0 : 1;
  auto& b = bank_[shadow_];
  if (!b) {
    b.emplace();
    b->words.assign(hw::window::TABLES_SIZE / 4, 0);
    b->known.assign(hw::window::TABLES_SIZE / 4, false);
  }
  return *b;
}

void Driver::write_tables(const std::vector<TableWrite>& w, BankMirror& m) {
  for (const auto& t : w) {
    if (t.word >= m.words.size()) {
      throw DriverError("table word " + hex(t.word) + " is outside the TABLES window");
    }
    if (m.known[t.word] && m.words[t.word] == t.data) continue;
    wr(hw::window::TABLES_BASE + 4 * t.word, t.data);
    m.words[t.word] = t.data;
    m.known[t.word] = true;
  }
}

void Driver::write_rule_flags(std::uint32_t rule, std::uint32_t flags, BankMirror& m) {
  write_tables({{(hw::tbl::RULE_FLAGS << hw::kTblIndexW) | rule, flags}}, m);
}

void Driver::load(const Image& img) {
  stage(img);
  commit();
  wr(hw::reg::IMAGE_TAG, tag_of(img_));
  loaded_ = true;
  shadow_stale_ = true;
}

void Driver::stage(const Image& img) {
  if (info_.config == nullptr) identify();
  if (img.params != info_.params) {
    const hw::Config* c = config_of(img);
    throw DriverError("the image is built for configuration " +
                      std::string(c != nullptr ? c->name : "(unknown)") + ", the hardware is " +
                      std::string(info_.config->name) + ": nothing was written");
  }
  if (img.format != hw::kImageFormat) {
    throw DriverError("the image is format " + std::to_string(img.format) +
                      ", the hardware loads " + std::to_string(hw::kImageFormat) +
                      ": nothing was written");
  }
  wait_not_pending();
  img_ = img;
  loaded_ = false;  // until the bank holds it and is committed
  const std::vector<TableWrite> w = table_writes(img_);
  // The rule flags kept for tuning: the RULE_FLAGS words just computed for the wide slots (the
  // prefilter they depend on is derived once per load); for an indexed rule, its enable and
  // action in the same encoding (they become GROUP_EN words).
  flags_.assign(img_.rules.size(), 0U);
  for (const auto& t : w) {
    const std::uint32_t i = t.word & ((1U << hw::kTblIndexW) - 1);
    if ((t.word >> hw::kTblIndexW) == hw::tbl::RULE_FLAGS && i < flags_.size()) flags_[i] = t.data;
  }
  for (std::size_t i = img_.rules_n(); i < flags_.size(); ++i) {
    if (img_.rules[i].empty()) continue;
    flags_[i] = hw::rflag::ENABLED_MASK |
                ((static_cast<std::uint32_t>(img_.rules[i].action) << hw::rflag::ACTION_LSB) &
                 hw::rflag::ACTION_MASK);
  }
  BankMirror& m = shadow_mirror();
  try {
    write_tables(w, m);
    write_rtables(m);
  } catch (const DriverError&) {
    bank_[shadow_].reset();  // what the bank holds is no longer known
    throw;
  }
}

std::uint32_t Driver::group_en_word(std::uint32_t g) const {
  namespace ge = hw::rec::group_en;
  std::uint32_t word = 0;
  for (std::uint32_t k = 0; k < 2; ++k) {
    const std::size_t id = img_.rules_n() + 2 * std::size_t{g} + k;
    if (id >= img_.rules.size() || img_.rules[id].empty()) continue;
    const std::uint32_t f = flags_[id];
    const std::uint32_t act = (f & hw::rflag::ACTION_MASK) >> hw::rflag::ACTION_LSB;
    word |= ((f & hw::rflag::ENABLED_MASK) != 0 ? 1U : 0U) << (k == 0 ? ge::EN0_LSB : ge::EN1_LSB);
    word |= act << (k == 0 ? ge::ACT0_LSB : ge::ACT1_LSB);
  }
  return word;
}

void Driver::rt_check(std::uint32_t tbl, std::uint32_t n) {
  const std::uint32_t c = rd(hw::reg::RT_COUNT);
  const std::uint32_t got = c & hw::field::RT_COUNT_COUNT_MASK;
  if ((c & hw::field::RT_COUNT_ERR_MASK) != 0 || got != n) {
    throw DriverError(bus_.name() + ": the record port took " + std::to_string(got) + " of " +
                      std::to_string(n) + " entries of table " +
                      std::string(hw::rtbl::kNames.at(tbl)) +
                      ((c & hw::field::RT_COUNT_ERR_MASK) != 0 ? " and refused words" : "") +
                      " (RT_COUNT " + hex(c) + "): the shadow bank is incomplete, not committed");
  }
}

void Driver::write_rtables(BankMirror& m) {
  if (img_.format != 3) return;
  std::uint32_t at = 0;  // the RT_DATA address: any in the window; moving on lets writes combine
  const auto put = [&](std::uint32_t v) {
    wr(hw::window::RT_DATA_BASE + 4 * at, v);
    at = (at + 1) % (hw::window::RT_DATA_SIZE / 4);
  };
  for (std::uint32_t t = 0; t < img_.rt.size(); ++t) {
    if (img_.rt[t].empty()) continue;
    std::vector<RtEntry> want = img_.rt[t];
    if (t == hw::rtbl::GROUP_EN) {  // from the tuned flags
      for (std::uint32_t g = 0; g < want.size(); ++g) want[g] = RtEntry{group_en_word(g)};
    }
    std::vector<RtEntry>& have = m.rt[t];
    const std::uint32_t words = hw::rtbl::kWords[t];
    const auto n = static_cast<std::uint32_t>(want.size());
    // An entry the bank holds is skipped, except the last of a table whose last write sets its
    // count (ADDR_BOUNDS: the count is the last index written + 1).
    const auto same = [&](std::uint32_t i) {
      return i < have.size() && have[i] == want[i] && !(hw::rtbl::kLastSetsCount[t] && i + 1 == n);
    };
    // Only the entries the bank does not hold already. A run of equal entries to write is one
    // entry and a fill (PORT_CLS and WCLS_PORT are runs of port ranges).
    std::uint32_t written = 0, next = 0;
    bool selected = false;
    for (std::uint32_t i = 0; i < n;) {
      if (same(i)) {
        ++i;
        continue;
      }
      std::uint32_t j = i + 1;
      while (j < n && want[j] == want[i] && !same(j)) ++j;
      if (!selected || i != next) {
        if (!selected) wr(hw::reg::RT_SEL, t);  // RT_IDX stays where the last table left it
        wr(hw::reg::RT_IDX, i);
        selected = true;
      }
      for (std::uint32_t k = 0; k < words; ++k) put(want[i][k]);
      written += j - i;
      if (j - i > 1) {
        wr(hw::reg::RT_FILL, j - i - 1);
        // The fill writes an entry a cycle (hw::rtbl::kFillLanes a cycle in the port tables,
        // hw::rtbl::kWideFill) and holds register writes meanwhile; a long one is
        // waited for by reading RT_COUNT (reads are not held), so no bus sees a write stall for
        // longer than a short fill.
        if (j - i > kFillWait) wait_count(t, written);
      }
      next = j;
      i = j;
    }
    if (!selected) continue;
    wait_count(t, written);  // a fill may still run: reads are not held
    rt_check(t, written);
    if (have.size() < n) have.resize(n);
    std::copy(want.begin(), want.end(), have.begin());
  }
}

void Driver::wait_count(std::uint32_t tbl, std::uint32_t n) {
  for (std::uint32_t i = 0; i < polls_; ++i) {
    const std::uint32_t c = rd(hw::reg::RT_COUNT);
    if ((c & hw::field::RT_COUNT_COUNT_MASK) >= n || (c & hw::field::RT_COUNT_ERR_MASK) != 0) {
      return;
    }
    if (wait_) wait_();
  }
  rt_check(tbl, n);  // names the table and the count reached
}

void Driver::write_group_en(std::uint32_t g, BankMirror& m) {
  const RtEntry want{group_en_word(g)};
  auto& have = m.rt[hw::rtbl::GROUP_EN];
  if (g < have.size() && have[g] == want) return;
  wr(hw::reg::RT_SEL, hw::rtbl::GROUP_EN);  // the shadow bank
  wr(hw::reg::RT_IDX, g);
  wr(hw::window::RT_DATA_BASE, want[0]);
  rt_check(hw::rtbl::GROUP_EN, 1);
  if (g < have.size()) have[g] = want;  // the mirror keeps a prefix: beyond it, unknown
}

std::uint32_t Driver::tag_of(const Image& img) {
  const std::vector<std::uint8_t> b = encode(img);
  std::uint32_t crc = 0;
  std::memcpy(&crc, &b.at(20), 4);  // as the codec stores it
  return crc == 0 ? 1U : crc;
}

std::uint32_t Driver::image_tag() {
  const std::uint32_t t = rd(hw::reg::IMAGE_TAG);
  if (t == 0xFFFFFFFFU && rd(hw::reg::ID) == 0xFFFFFFFFU)
    throw DriverError(bus_.name() + ": registers read all-ones: the card is gone");
  return t;
}

void Driver::attach(const Image& img, std::vector<std::uint32_t> flags) {
  if (info_.config == nullptr) identify();
  if (img.params != info_.params) {
    throw DriverError("the image is built for another configuration than the hardware's (" +
                      std::string(info_.config->name) + ")");
  }
  const std::uint32_t want = tag_of(img), have = image_tag();
  if (have != want) {
    throw DriverError(bus_.name() + ": IMAGE_TAG is " + hex(have) + ", the image's tag is " +
                      hex(want) + (have == 0 ? " (no rules loaded since reset)" : "") +
                      ": load the image first");
  }
  if (flags.size() != img.rules.size()) {
    throw DriverError("rule flags for " + std::to_string(flags.size()) + " slots, the image has " +
                      std::to_string(img.rules.size()) + " rules");
  }
  img_ = img;
  loaded_ = true;
  flags_ = std::move(flags);
  shadow_stale_ = true;
  forget_banks();  // another process wrote them
}

void Driver::sync_shadow() {
  if (!shadow_stale_) return;
  wait_not_pending();
  // The image's tables with the tuned RULE_FLAGS words, written where the shadow bank differs.
  std::vector<TableWrite> w = table_writes(img_);
  for (auto& t : w) {
    const std::uint32_t i = t.word & ((1U << hw::kTblIndexW) - 1);
    if ((t.word >> hw::kTblIndexW) == hw::tbl::RULE_FLAGS && i < flags_.size() &&
        i < img_.rules_n()) {
      t.data = flags_[i];
    }
  }
  BankMirror& m = shadow_mirror();
  try {
    write_tables(w, m);
    write_rtables(m);
  } catch (const DriverError&) {
    bank_[shadow_].reset();
    throw;
  }
  shadow_stale_ = false;
}

void Driver::update_rule(std::size_t rule, std::uint32_t flags) {
  if (!loaded_ || rule >= flags_.size() || img_.rules[rule].empty()) {
    throw DriverError("rule slot " + std::to_string(rule) + " is not loaded");
  }
  sync_shadow();
  const std::uint32_t before = flags_[rule];
  flags_[rule] = flags;
  // Both banks get the change: the shadow, then COMMIT, then the new shadow (the previous active
  // bank), so both hold the same tables again. A failed write leaves the shadow to be brought up
  // to date whole by the next tuning (shadow_stale_), and before COMMIT the old flags in force.
  bool committed = false;
  const auto write = [&] {
    BankMirror& m = shadow_mirror();
    try {
      if (rule >= img_.rules_n()) {
        // An indexed rule: its group's GROUP_EN entry, through a bank switch like a wide rule's
        // RULE_FLAGS word, so the change takes effect between two frames that COMMIT names (the
        // record port can also write GROUP_EN into the active bank, RT_SEL.ACTIVE: a few writes
        // and no COMMIT, but from a lookup cycle no frame boundary marks).
        write_group_en(static_cast<std::uint32_t>((rule - img_.rules_n()) / 2), m);
      } else {
        write_rule_flags(static_cast<std::uint32_t>(rule), flags, m);
      }
    } catch (const DriverError&) {
      bank_[shadow_].reset();
      shadow_stale_ = true;
      if (!committed) flags_[rule] = before;
      throw;
    }
  };
  write();
  commit();
  committed = true;
  write();
}

std::size_t Driver::rule_index(std::uint32_t sid, std::uint32_t gid) const {
  for (std::size_t i = 0; loaded_ && i < img_.rules.size(); ++i) {
    if (img_.rules[i].sid == sid && img_.rules[i].gid == gid) return i;
  }
  throw DriverError("no rule with sid " + std::to_string(sid) +
                    (gid != 1 ? " gid " + std::to_string(gid) : std::string()) +
                    " in the loaded image");
}

void Driver::set_rule_enabled(std::size_t rule, bool on) {
  const std::uint32_t f = flags_.at(rule);
  update_rule(rule, on ? (f | hw::rflag::ENABLED_MASK) : (f & ~hw::rflag::ENABLED_MASK));
}

void Driver::set_rule_action(std::size_t rule, Action a) {
  const std::uint32_t f = flags_.at(rule);
  update_rule(rule, (f & ~hw::rflag::ACTION_MASK) |
                        ((static_cast<std::uint32_t>(a) << hw::rflag::ACTION_LSB) &
                         hw::rflag::ACTION_MASK));
}

bool Driver::rule_enabled(std::size_t rule) const {
  return (flags_.at(rule) & hw::rflag::ENABLED_MASK) != 0;
}

Action Driver::rule_action(std::size_t rule) const {
  return static_cast<Action>((flags_.at(rule) & hw::rflag::ACTION_MASK) >> hw::rflag::ACTION_LSB);
}

void Driver::set_control(bool enable, bool malformed_drop, bool overflow_drop) {
  wr(hw::reg::CONTROL, (enable ? hw::field::CONTROL_ENABLE_MASK : 0U) |
                           (malformed_drop ? hw::field::CONTROL_MALFORMED_DROP_MASK : 0U) |
                           (overflow_drop ? hw::field::CONTROL_OVERFLOW_DROP_MASK : 0U));
}

std::uint32_t Driver::control() { return rd(hw::reg::CONTROL); }

Counters Driver::counters() {
  Counters c;
  const std::uint32_t seq0 = rd(hw::reg::SNAP_SEQ);
  wr(hw::reg::SNAPSHOT, hw::field::SNAPSHOT_GO_MASK);
  std::uint32_t i = 0;
  for (; i < polls_; ++i) {
    c.seq = rd(hw::reg::SNAP_SEQ);
    if (c.seq == 0xFFFFFFFFU)
      throw DriverError(bus_.name() + ": SNAP_SEQ reads all-ones: the card is gone");
    if (c.seq != seq0) break;
    if (wait_) wait_();
  }
  if (i == polls_) throw DriverError(bus_.name() + ": the counter snapshot did not complete");
  for (std::uint32_t g = 0; g < hw::kGcntN; ++g) {
    const std::uint32_t lo = rd(hw::kGcntBase + 8 * g);
    const std::uint32_t hi = rd(hw::kGcntBase + 8 * g + 4);
    c.global[g] = (std::uint64_t{hi} << 32) | lo;
  }
  const std::size_t n = loaded_ ? img_.rules.size() : 0;
  for (std::size_t r = 0; r < n; ++r) {
    if (img_.rules[r].empty()) {  // an id without a rule (format 3) counts nothing
      c.packets.push_back(0);
      c.bytes.push_back(0);
      continue;
    }
    const std::uint32_t base = hw::window::RULE_CNT_BASE + 16 * static_cast<std::uint32_t>(r);
    const std::uint32_t w0 = rd(base), w1 = rd(base + 4), w2 = rd(base + 8), w3 = rd(base + 12);
    c.packets.push_back((std::uint64_t{w1} << 32) | w0);
    c.bytes.push_back((std::uint64_t{w3} << 32) | w2);
  }
  return c;
}

}  // namespace dejfa
