// SPDX-License-Identifier: Apache-2.0
//
// Card commands: dejfa devices, load, counters, rule, info --device. They run the driver
// (host/driver) on a card's BAR, or on a file laid out as the register window (file:PATH).
//
// A card does not remember which rules its tables came from, only a tag (IMAGE_TAG, the image's
// CRC-32). `dejfa load` keeps the image and the rule flags (tuning included) in a state
// directory, one pair of files per device; later commands adopt them when the tag agrees, and
// say so when it does not (the card was reprogrammed, reset, or loaded from elsewhere).

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <unistd.h>

#include "cli.hpp"
#include "dejfa/card.hpp"
#include "dejfa/driver.hpp"
#include "dejfa/fileio.hpp"
#include "dejfa/image_codec.hpp"
#include "dejfa/texttable.hpp"

namespace dejfa::cli {

namespace {

namespace fs = std::filesystem;

std::string hex32(std::uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "%08x", v);
  return b;
}

// ------------------------------------------------------------------------------ device options
struct DeviceOpts {
  std::string device, shell, state_dir;
  void add_to(po::options_description& o) {
    o.add_options()("device,D", po::value(&device),
                    "card: PCI address (0000:3b:00.0, see dejfa devices), sim:SOCKET (a dejfa "
                    "simcard) or file:PATH (a file laid out as the register window)")(
        "shell", po::value(&shell),
        "shell carrying the core when its PCI IDs are not the "
        "shell's own: opennic (BAR2+0x100000) or corundum (BAR2)")(
        "state-dir", po::value(&state_dir),
        "where load keeps each card's image and rule flags (default $DEJFA_STATE_DIR or "
        "/var/lib/dejfa)");
  }
  [[nodiscard]] std::string dir() const {
    if (!state_dir.empty()) return state_dir;
    const char* e = std::getenv("DEJFA_STATE_DIR");
    return e != nullptr && *e != '\0' ? e : "/var/lib/dejfa";
  }
};

/// One file name per device: the BDF, or the window file's absolute path, made safe.
std::string state_key(const std::string& spec) {
  std::string k;
  if (spec.rfind("file:", 0) == 0 || spec.rfind("sim:", 0) == 0) {
    const std::size_t colon = spec.find(':');
    k = spec.substr(0, colon) + fs::absolute(spec.substr(colon + 1)).lexically_normal().string();
  } else {
    k = card::normalise_bdf(spec);
  }
  for (char& c : k) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-')) c = '_';
  }
  return k;
}

struct Saved {
  std::vector<std::uint8_t> bytes;
  Image img;
  std::vector<std::uint32_t> flags;
};

/// The state a previous `load` left: the image (.dfi) and the flags (.flags, "slot flags" hex).
std::optional<Saved> read_state(const std::string& dir, const std::string& key, std::string& why) {
  const fs::path img_p = fs::path(dir) / (key + ".dfi"), fl_p = fs::path(dir) / (key + ".flags");
  Saved s;
  std::string err;
  if (!fs::exists(img_p)) {
    why = "no record in " + dir + " (dejfa load keeps one)";
    return std::nullopt;
  }
  if (!read_file(img_p.string(), kImageFileMaxB, "rule image", s.bytes, err)) {
    why = err;
    return std::nullopt;
  }
  if (!decode_image(s.bytes, nullptr, s.img, err)) {
    why = img_p.string() + ": " + err;
    return std::nullopt;
  }
  s.flags.assign(s.img.rules.size(), 0);
  std::vector<bool> seen(s.img.rules.size(), false);
  std::ifstream ff(fl_p);
  std::string line;
  std::size_t lineno = 0;
  while (std::getline(ff, line)) {
    ++lineno;
    std::istringstream ls(line);
    std::size_t slot = 0;
    std::string hexw;
    if (!(ls >> slot >> hexw) || slot >= s.flags.size()) {
      why = fl_p.string() + ":" + std::to_string(lineno) + ": not 'slot flags' for this image";
      return std::nullopt;
    }
    std::uint32_t v = 0;
    const auto [end, ec] = std::from_chars(hexw.data(), hexw.data() + hexw.size(), v, 16);
    if (ec != std::errc{} || end != hexw.data() + hexw.size()) {
      why = fl_p.string() + ":" + std::to_string(lineno) + ": '" + hexw + "' is not a hex word";
      return std::nullopt;
    }
    s.flags[slot] = v;
    seen[slot] = true;
  }
  if (std::find(seen.begin(), seen.end(), false) != seen.end()) {
    why = fl_p.string() + ": flags missing for some rule slots";
    return std::nullopt;
  }
  return s;
}

/// A file that cannot be written: mapped to exit code 4 (kExitIo) by guarded().
struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Replaces `p` with `data` atomically: a fresh temporary file beside it (mkstemp: created
/// exclusively under an unpredictable name, so no link planted in a shared directory is
/// followed), written whole, then renamed over `p`.
void write_file_atomic(const fs::path& p, const std::string& data) {
  std::string tmpl = p.string() + ".XXXXXX";
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0)
    throw IoError("cannot create a file beside " + p.string() + ": " + std::strerror(errno));
  bool ok = true;
  for (std::size_t off = 0; ok && off < data.size();) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) off += static_cast<std::size_t>(n);
  }
  const int err = ok ? 0 : errno;
  ok = ::close(fd) == 0 && ok;
  std::error_code ec;
  if (ok) fs::rename(tmpl, p, ec);
  if (!ok || ec) {
    fs::remove(tmpl, ec);
    throw IoError("cannot write " + p.string() + ": " +
                  (err != 0 ? std::strerror(err)
                   : ec     ? ec.message()
                            : "close failed"));
  }
}

void write_flags(const std::string& dir, const std::string& key,
                 const std::vector<std::uint32_t>& flags) {
  std::string s;
  for (std::size_t i = 0; i < flags.size(); ++i)
    s += std::to_string(i) + " " + hex32(flags[i]) + "\n";
  write_file_atomic(fs::path(dir) / (key + ".flags"), s);
}

void write_state(const std::string& dir, const std::string& key,
                 const std::vector<std::uint8_t>& bytes, const std::vector<std::uint32_t>& flags) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError("cannot create the state directory " + dir + ": " + ec.message());
  write_file_atomic(fs::path(dir) / (key + ".dfi"), std::string(bytes.begin(), bytes.end()));
  write_flags(dir, key, flags);
}

/// An open device with the driver identified and, when this host's record agrees with the
/// card's tag, the loaded rules adopted.
struct Session {
  std::unique_ptr<RegisterBus> bus;
  std::unique_ptr<Driver> drv;
  std::string key, dir;
  std::uint32_t tag = 0;
  bool attached = false;
  std::string why;  ///< why the rules are not known (when !attached)

  explicit Session(const DeviceOpts& o) {
    if (o.device.empty()) throw po::error("--device is required (see dejfa devices)");
    if (o.device.rfind("file:", 0) != 0 && o.device.rfind("sim:", 0) != 0) {
      try {
        (void)card::normalise_bdf(o.device);
      } catch (const BusError& e) {
        throw po::error(e.what());  // a usage error, not a device failure
      }
    }
    bus = card::open_device(o.device, o.shell);
    // A card answers a COMMIT within a frame time and a snapshot within microseconds: waits are
    // bounded at 20,000 polls of >= 50 us (1 s or more) before they are reported as failures.
    drv = std::make_unique<Driver>(
        *bus, [] { std::this_thread::sleep_for(std::chrono::microseconds(50)); }, 20'000);
    drv->identify();
    key = state_key(o.device);
    dir = o.dir();
    tag = drv->image_tag();
    if (tag == 0) {
      why = "no rules loaded since the card was reset or programmed";
      return;
    }
    std::optional<Saved> s = read_state(dir, key, why);
    if (!s) return;
    if (Driver::tag_of(s->img) != tag) {
      why = "the card holds image " + hex32(tag) + ", this host's record is image " +
            hex32(Driver::tag_of(s->img)) + " (loaded from elsewhere, or reloaded)";
      return;
    }
    drv->attach(s->img, std::move(s->flags));
    attached = true;
  }
};

/// Runs `f`, mapping device failures to a message and kExitDevice.
template <class F>
int guarded(const char* cmd, F&& f) {
  try {
    return f();
  } catch (const BusError& e) {
    std::cerr << "dejfa " << cmd << ": " << e.what() << "\n";
  } catch (const DriverError& e) {
    std::cerr << "dejfa " << cmd << ": " << e.what() << "\n";
  } catch (const IoError& e) {
    std::cerr << "dejfa " << cmd << ": " << e.what() << "\n";
    return kExitIo;
  } catch (const fs::filesystem_error& e) {
    std::cerr << "dejfa " << cmd << ": " << e.what() << "\n";
    return kExitIo;
  }
  return kExitDevice;
}

/// Reads and decodes a rule image; 0, or the exit code: 4 when the file cannot be read, 2 when
/// the image is refused.
int read_image(const std::string& path, std::vector<std::uint8_t>& bytes, Image& img,
               const char* cmd) {
  std::string err;
  if (!read_file(path, kImageFileMaxB, "rule image", bytes, err)) {
    std::cerr << "dejfa " << cmd << ": " << err << "\n";
    return kExitIo;
  }
  if (!decode_image(bytes, nullptr, img, err)) {
    std::cerr << "dejfa " << cmd << ": " << path << ": " << err << " (nothing was written)\n";
    return kExitRules;
  }
  return 0;
}

// ---------------------------------------------------------------------------------- counters
struct Snap {
  Counters c;
  std::chrono::steady_clock::time_point at;
};

/// A Prometheus label value: valid UTF-8, with backslash, quote and newline escaped.
std::string prom_label(std::string_view s) {
  std::string o;
  for (const char ch : utf8_clean(s)) {
    if (ch == '\\')
      o += "\\\\";
    else if (ch == '"')
      o += "\\\"";
    else if (ch == '\n')
      o += "\\n";
    else
      o += ch;
  }
  return o;
}

/// Prometheus exposition (text format 0.0.4). Per-rule series carry only the rule's identity
/// (gid, sid), so that tuning a rule (its action, or a new rev) does not start a new series and
/// rate() stays whole; what a rule is and how it is set comes from dejfa_rule_info (value 1),
/// joined on gid and sid as node_exporter's *_info series are.
std::string format_prometheus(const Session& s, const std::string& dev, const Counters& c) {
  std::ostringstream o;
  const std::string d = "device=\"" + prom_label(dev) + "\"";
  for (std::size_t g = 0; g < hw::kGcntN; ++g) {
    const std::string name = "dejfa_" + std::string(hw::kGcntNames[g]) + "_total";
    o << "# HELP " << name << " dejfa global counter " << hw::kGcntNames[g] << ".\n# TYPE " << name
      << " counter\n"
      << name << "{" << d << "} " << c.global[g] << "\n";
  }
  o << "# HELP dejfa_image_tag Tag (CRC-32) of the rule image in the active bank; 0: none.\n"
       "# TYPE dejfa_image_tag gauge\n"
    << "dejfa_image_tag{" << d << "} " << s.tag << "\n";
  if (!s.attached) return o.str();
  const Image& img = *s.drv->image();
  const auto id = [&](std::size_t r) {
    const auto& m = img.rules[r];
    return d + ",gid=\"" + std::to_string(m.gid) + "\",sid=\"" + std::to_string(m.sid) + "\"";
  };
  o << "# HELP dejfa_rule_info A loaded rule: revision, action in force, message, classtype.\n"
       "# TYPE dejfa_rule_info gauge\n";
  // An id without a rule (image format 3: unused positions of indexed groups, empty wide slots)
  // is no series.
  const auto rule_ids = [&] {
    std::vector<std::size_t> v;
    for (std::size_t r = 0; r < img.rules.size(); ++r) {
      if (!img.rules[r].empty()) v.push_back(r);
    }
    return v;
  }();
  for (const std::size_t r : rule_ids) {
    const auto& m = img.rules[r];
    o << "dejfa_rule_info{" << id(r) << ",rev=\"" << m.rev << "\",action=\""
      << action_name(s.drv->rule_action(r)) << "\",msg=\"" << prom_label(m.msg) << "\",classtype=\""
      << prom_label(m.classtype) << "\"} 1\n";
  }
  o << "# HELP dejfa_rule_packets_total Packets the rule matched.\n"
       "# TYPE dejfa_rule_packets_total counter\n";
  for (const std::size_t r : rule_ids)
    o << "dejfa_rule_packets_total{" << id(r) << "} " << c.packets[r] << "\n";
  o << "# HELP dejfa_rule_bytes_total Bytes of the packets the rule matched.\n"
       "# TYPE dejfa_rule_bytes_total counter\n";
  for (const std::size_t r : rule_ids)
    o << "dejfa_rule_bytes_total{" << id(r) << "} " << c.bytes[r] << "\n";
  o << "# HELP dejfa_rule_enabled 1 if the rule is enabled.\n# TYPE dejfa_rule_enabled gauge\n";
  for (const std::size_t r : rule_ids)
    o << "dejfa_rule_enabled{" << id(r) << "} " << (s.drv->rule_enabled(r) ? 1 : 0) << "\n";
  return o.str();
}

/// What a counter grew by between two snapshots. A counter that went down was reset (a card
/// reset, or counters cleared by a new image) and counts from zero since.
double grew(std::uint64_t now, std::uint64_t before) {
  return static_cast<double>(now >= before ? now - before : now);
}

std::string format_json(const Session& s, const std::string& dev, const Counters& c,
                        const std::optional<Snap>& prev, double dt) {
  Json doc;
  doc["device"] = json_str(dev);
  doc["config"] = s.drv->info().config->name;
  doc["image_tag"] = hex32(s.tag);
  doc["snapshot"] = c.seq;
  Json& global = doc["global"] = Json::object();
  for (std::size_t g = 0; g < hw::kGcntN; ++g) global[std::string(hw::kGcntNames[g])] = c.global[g];
  Json& rules = doc["rules"] = Json::array();
  if (s.attached) {
    const Image& img = *s.drv->image();
    for (std::size_t r = 0; r < img.rules.size(); ++r) {
      const auto& m = img.rules[r];
      if (m.empty()) continue;  // an id without a rule
      Json j;
      j["slot"] = r;
      j["sid"] = m.sid;
      j["gid"] = m.gid;
      j["rev"] = m.rev;
      j["msg"] = json_str(m.msg);
      j["action"] = action_name(s.drv->rule_action(r));
      j["enabled"] = s.drv->rule_enabled(r);
      j["packets"] = c.packets[r];
      j["bytes"] = c.bytes[r];
      if (prev && dt > 0) j["pps"] = grew(c.packets[r], prev->c.packets[r]) / dt;
      rules.push_back(std::move(j));
    }
  }
  if (!s.attached) doc["rules_unknown"] = json_str(s.why);
  return json_line(doc);
}

std::string human(double v) {
  char b[32];
  if (v >= 1e9)
    std::snprintf(b, sizeof b, "%.2fG", v / 1e9);
  else if (v >= 1e6)
    std::snprintf(b, sizeof b, "%.2fM", v / 1e6);
  else if (v >= 1e3)
    std::snprintf(b, sizeof b, "%.2fk", v / 1e3);
  else
    std::snprintf(b, sizeof b, "%.0f", v);
  return b;
}

/// The table: global counters, then rules (all, or those that matched), busiest first; with a
/// previous snapshot, rates over the interval instead of totals lead each line (the top view).
std::string format_table(const Session& s, const std::string& dev, const Counters& c,
                         const std::optional<Snap>& prev, double dt, bool all, std::size_t top) {
  std::ostringstream o;
  char line[512];
  const bool rates = prev.has_value() && dt > 0;
  std::snprintf(line, sizeof line, "dejfa %s  (%s, image %s, snapshot %u%s)\n", dev.c_str(),
                std::string(s.drv->info().config->name).c_str(), hex32(s.tag).c_str(), c.seq,
                rates ? "" : ", totals");
  o << line;
  using A = TextTable::Align;
  TextTable gt;
  gt.column("counter", A::Left).column("total");
  if (rates) gt.column("rate");
  for (std::size_t g = 0; g < hw::kGcntN; ++g) {
    const double rate = rates ? grew(c.global[g], prev->c.global[g]) / dt : 0.0;
    std::vector<std::string> cells{std::string(hw::kGcntNames[g]), std::to_string(c.global[g])};
    if (rates)
      cells.push_back((g == hw::gcnt::RX_BYTES ? human(rate * 8) + "b" : human(rate)) + "/s");
    gt.row(std::move(cells));
  }
  o << gt.str("  ");
  if (!s.attached) {
    o << "per-rule counters: rules unknown: " << s.why << "\n";
    return o.str();
  }
  const Image& img = *s.drv->image();
  std::vector<std::size_t> order;
  std::vector<double> pps(img.rules.size(), 0.0), bps(img.rules.size(), 0.0);
  for (std::size_t r = 0; r < img.rules.size(); ++r) {
    if (rates) {
      pps[r] = grew(c.packets[r], prev->c.packets[r]) / dt;
      bps[r] = 8.0 * grew(c.bytes[r], prev->c.bytes[r]) / dt;
    }
    if ((all || c.packets[r] != 0) && !img.rules[r].empty()) order.push_back(r);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return rates && pps[a] != pps[b] ? pps[a] > pps[b] : c.packets[a] > c.packets[b];
  });
  if (top != 0 && order.size() > top) order.resize(top);
  TextTable rt;
  rt.column("slot").column("sid").column("action", A::Left).column("on", A::Left);
  if (rates) rt.column("pkt/s").column("bit/s");
  rt.column("packets").column("bytes").column("msg", A::Left);
  for (const std::size_t r : order) {
    const auto& m = img.rules[r];
    std::vector<std::string> cells{std::to_string(r), std::to_string(m.sid),
                                   action_name(s.drv->rule_action(r)),
                                   s.drv->rule_enabled(r) ? "yes" : "no"};
    if (rates) cells.insert(cells.end(), {human(pps[r]), human(bps[r])});
    cells.insert(cells.end(), {std::to_string(c.packets[r]), std::to_string(c.bytes[r]), m.msg});
    rt.row(std::move(cells));
  }
  o << "\n" << rt.str();
  if (order.empty())
    o << "(no rule has matched" << (all ? "" : "; --all lists every rule") << ")\n";
  return o.str();
}

}  // namespace

// ------------------------------------------------------------------------------------ devices
int cmd_devices(std::span<const std::string> args) {
  bool as_json = false;
  po::options_description opts(
      "dejfa devices: list the PCIe cards carrying a supported shell (OpenNIC, Corundum)");
  opts.add_options()("help,h", "show this help")("json", po::bool_switch(&as_json), "print JSON");
  const auto vm = parse_args(args, opts);
  if (vm.count("help") != 0U) {
    std::cout << opts;
    return kExitOk;
  }
  const std::string root = card::sysfs_root();
  const auto devs = card::scan(root);
  std::vector<std::string> core;  // what the ID register says, or why it could not be read
  for (const auto& d : devs) {
    try {
      card::PcieBus bus(root, d.bdf);
      const std::uint32_t id = bus.read32(hw::reg::ID);
      if (id == hw::kCoreId) {
        const std::uint32_t v = bus.read32(hw::reg::VERSION);
        core.push_back("dejfa " + std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 0xFF) +
                       "." + std::to_string(v & 0xFFFF) + ", DATA_W " +
                       std::to_string(bus.read32(hw::reg::PARAM_DATA_W)));
      } else if (id == 0xFFFFFFFFU) {
        core.emplace_back("reads all-ones (card gone or in reset)");
      } else {
        core.push_back("no dejfa core (ID " + hex32(id) + ")");
      }
    } catch (const BusError& e) {
      core.push_back(std::string("not readable: ") + e.what());
    }
  }
  if (as_json) {
    Json list = Json::array();
    for (std::size_t i = 0; i < devs.size(); ++i) {
      const auto& d = devs[i];
      char ids[16];
      std::snprintf(ids, sizeof ids, "%04x:%04x", d.vendor, d.device);
      Json j;
      j["bdf"] = json_str(d.bdf);
      j["ids"] = ids;
      j["shell"] = json_str(d.shell->name);
      j["driver"] = json_str(d.driver);
      j["bar_size"] = d.bar_size;
      j["memory_enabled"] = d.mem_enabled < 0 ? Json(nullptr) : Json(d.mem_enabled != 0);
      j["core"] = json_str(core[i]);
      list.push_back(std::move(j));
    }
    std::cout << json_line(list);
    return kExitOk;
  }
  if (devs.empty()) {
    std::cout << "no supported cards under " << root
              << " (OpenNIC 10ee:9xxx QDMA functions, Corundum 1234:1001 or 5543:1001)\n";
    return kExitOk;
  }
  using A = TextTable::Align;
  TextTable t;
  t.column("device", A::Left).column("ids", A::Left).column("shell", A::Left);
  t.column("driver", A::Left).column("BAR").column("mem", A::Left).column("core", A::Left);
  for (std::size_t i = 0; i < devs.size(); ++i) {
    const auto& d = devs[i];
    char ids[16];
    std::snprintf(ids, sizeof ids, "%04x:%04x", d.vendor, d.device);
    t.row({d.bdf, ids, std::string(d.shell->name), d.driver.empty() ? "-" : d.driver,
           std::to_string(d.bar_size >> 20) + "M",
           d.mem_enabled < 0    ? "?"
           : d.mem_enabled != 0 ? "on"
                                : "off",
           core[i]});
  }
  std::cout << t.str();
  return kExitOk;
}

// --------------------------------------------------------------------------------------- info
int device_info(const std::string& spec, const std::string& shell, const std::string& state_dir) {
  DeviceOpts o{spec, shell, state_dir};
  return guarded("info", [&] {
    Session s(o);
    const HwInfo& in = s.drv->info();
    const HwStatus st = s.drv->status();
    const std::uint32_t ctl = s.drv->control();
    std::printf("%s: dejfa core %u.%u.%u, rule-image format %u, configuration %s\n",
                s.bus->name().c_str(), in.version >> 24, (in.version >> 16) & 0xFF,
                in.version & 0xFFFF, in.image_fmt, std::string(in.config->name).c_str());
    for (std::size_t i = 0; i < hw::kParamNames.size(); ++i) {
      std::printf("  param %-12s %u\n", std::string(hw::kParamNames[i]).c_str(), in.params[i]);
    }
    std::printf("  control         enable %d, malformed %s, overflow %s\n",
                (ctl & hw::field::CONTROL_ENABLE_MASK) != 0 ? 1 : 0,
                (ctl & hw::field::CONTROL_MALFORMED_DROP_MASK) != 0 ? "drop" : "pass",
                (ctl & hw::field::CONTROL_OVERFLOW_DROP_MASK) != 0 ? "drop" : "pass");
    std::printf("  status          active bank %d%s%s\n", st.active_bank ? 1 : 0,
                st.commit_pending ? ", commit pending" : "",
                st.snapshot_busy ? ", snapshot busy" : "");
    if (s.attached) {
      std::printf("  rules           image %s, %zu rules (record in %s)\n", hex32(s.tag).c_str(),
                  s.drv->image()->rules.size(), s.dir.c_str());
    } else {
      std::printf("  rules           image %s: %s\n", hex32(s.tag).c_str(), s.why.c_str());
    }
    return kExitOk;
  });
}

// --------------------------------------------------------------------------------------- load
int cmd_load(std::span<const std::string> args) {
  DeviceOpts o;
  std::string image_path, malformed = "pass", overflow = "pass";
  bool no_enable = false;
  po::options_description opts(
      "dejfa load IMAGE --device DEV: write a rule image into the card's shadow bank and commit "
      "it (hitless: every packet is judged wholly by the old or the new rules)");
  opts.add_options()("help,h", "show this help")("image", po::value(&image_path),
                                                 "rule image (.dfi, positional)")(
      "no-enable", po::bool_switch(&no_enable),
      "leave CONTROL.ENABLE as it is (default: judge packets once loaded)")(
      "malformed", po::value(&malformed)->default_value(malformed),
      "policy for malformed frames: pass or drop")(
      "overflow", po::value(&overflow)->default_value(overflow),
      "policy for frames whose inspection overflowed: pass or drop");
  o.add_to(opts);
  const auto vm = parse_args(args, opts, "image");
  if (vm.count("help") != 0U) {
    std::cout << opts;
    return kExitOk;
  }
  for (const auto* p : {&malformed, &overflow}) {
    if (*p != "pass" && *p != "drop") {
      std::cerr << "dejfa load: policy '" << *p << "' is neither pass nor drop\n";
      return kExitUsage;
    }
  }
  if (image_path.empty()) {
    std::cerr << "dejfa load: no image given (dejfa compile -o FILE.dfi makes one)\n";
    return kExitUsage;
  }
  std::vector<std::uint8_t> bytes;
  Image img;
  if (const int rc = read_image(image_path, bytes, img, "load"); rc != 0) return rc;
  return guarded("load", [&] {
    Session s(o);
    // Where the record will go must take it before the card changes: a load that cannot keep
    // its record would leave a card no later command can tune.
    write_state(s.dir, s.key + ".probe", {}, {});
    for (const char* ext : {".dfi", ".flags"}) {
      std::error_code ec;
      fs::remove(fs::path(s.dir) / (s.key + ".probe" + ext), ec);
    }
    const std::uint64_t w0 = s.drv->writes();
    const auto t0 = std::chrono::steady_clock::now();
    s.drv->load(img);
    const std::uint32_t ctl = s.drv->control();
    const bool enable = no_enable ? (ctl & hw::field::CONTROL_ENABLE_MASK) != 0 : true;
    s.drv->set_control(enable, malformed == "drop", overflow == "drop");
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    write_state(s.dir, s.key, bytes, s.drv->flags());
    std::printf(
        "%s: loaded %s: %zu rules, configuration %s, image %s; %llu register writes in "
        "%.1f ms; active bank %d; judging %s\n",
        s.bus->name().c_str(), image_path.c_str(), img.rules.size(),
        std::string(s.drv->info().config->name).c_str(), hex32(Driver::tag_of(img)).c_str(),
        static_cast<unsigned long long>(s.drv->writes() - w0), ms,
        s.drv->status().active_bank ? 1 : 0, enable ? "on" : "off (CONTROL.ENABLE=0)");
    return kExitOk;
  });
}

// ----------------------------------------------------------------------------------- counters
int cmd_counters(std::span<const std::string> args) {
  DeviceOpts o;
  std::string format = "table", output;
  double watch = 0;
  std::size_t count = 0, top = 0;
  bool all = false;
  po::options_description opts(
      "dejfa counters --device DEV: per-rule and global counters from one consistent snapshot");
  opts.add_options()("help,h", "show this help")(
      "format,f", po::value(&format)->default_value(format), "table, json or prometheus")(
      "watch,w", po::value(&watch),
      "refresh every SECONDS, with per-rule rates, busiest first (like top)")(
      "count,n", po::value(&count), "with --watch: stop after N refreshes")(
      "top", po::value(&top), "show at most N rules in the table")(
      "all,a", po::bool_switch(&all), "table: every rule, not only those that matched")(
      "output,o", po::value(&output),
      "write to FILE (replaced atomically each refresh: node-exporter's textfile collector)");
  o.add_to(opts);
  const auto vm = parse_args(args, opts);
  if (vm.count("help") != 0U) {
    std::cout << opts;
    return kExitOk;
  }
  if (format != "table" && format != "json" && format != "prometheus") {
    std::cerr << "dejfa counters: format '" << format << "' is not table, json or prometheus\n";
    return kExitUsage;
  }
  if (watch < 0 || (vm.count("watch") != 0U && watch < 0.05)) {
    std::cerr << "dejfa counters: --watch needs an interval of at least 0.05 s\n";
    return kExitUsage;
  }
  return guarded("counters", [&] {
    Session s(o);
    const bool tty = output.empty() && ::isatty(STDOUT_FILENO) != 0 && format == "table";
    std::optional<Snap> prev;
    for (std::size_t n = 0;; ++n) {
      // Another image since the last refresh (a load from here or elsewhere, a reset card):
      // rule slots now mean other rules, so adopt the card's record afresh and start the rates
      // over instead of subtracting one rule's counters from another's.
      if (n > 0 && s.drv->image_tag() != s.tag) {
        s = Session(o);
        prev.reset();
      }
      Snap now{s.drv->counters(), std::chrono::steady_clock::now()};
      const double dt = prev ? std::chrono::duration<double>(now.at - prev->at).count() : 0.0;
      std::string text;
      if (format == "prometheus")
        text = format_prometheus(s, o.device, now.c);
      else if (format == "json")
        text = format_json(s, o.device, now.c, prev, dt);
      else
        text = format_table(s, o.device, now.c, prev, dt, all, top);
      if (!output.empty()) {
        write_file_atomic(output, text);
      } else {
        if (tty && watch > 0) std::cout << "\x1b[H\x1b[2J";
        std::cout << text << (watch > 0 && format == "table" && !tty ? "\n" : "") << std::flush;
      }
      if (watch <= 0 || (count != 0 && n + 1 >= count)) break;
      prev = now;
      std::this_thread::sleep_for(std::chrono::duration<double>(watch));
    }
    return kExitOk;
  });
}

// --------------------------------------------------------------------------------------- rule
int cmd_rule(std::span<const std::string> args) {
  DeviceOpts o;
  std::vector<std::string> pos;
  std::uint32_t gid = 1;
  po::options_description opts(
      "dejfa rule enable|disable SID --device DEV\n"
      "dejfa rule action SID alert|drop|reject|pass --device DEV\n"
      "  tune one rule on a running card, hitlessly (shadow bank, COMMIT, both banks equal again)");
  opts.add_options()("help,h", "show this help")("args", po::value(&pos)->composing(),
                                                 "operation, sid, action (positional)")(
      "gid", po::value(&gid)->default_value(gid), "the rule's gid");
  o.add_to(opts);
  const auto vm = parse_args(args, opts, "args");
  if (vm.count("help") != 0U) {
    std::cout << opts;
    return kExitOk;
  }
  const std::string op = pos.empty() ? "" : pos[0];
  const bool is_action = op == "action";
  if (!(op == "enable" || op == "disable" || is_action) || pos.size() != (is_action ? 3U : 2U)) {
    std::cerr << "dejfa rule: expected 'enable SID', 'disable SID' or 'action SID "
                 "alert|drop|reject|pass'\n";
    return kExitUsage;
  }
  std::uint32_t sid = 0;
  try {
    std::size_t used = 0;
    const unsigned long v = std::stoul(pos[1], &used);
    if (used != pos[1].size() || v == 0 || v > 0xFFFFFFFFUL) throw std::out_of_range("sid");
    sid = static_cast<std::uint32_t>(v);
  } catch (const std::exception&) {
    std::cerr << "dejfa rule: '" << pos[1] << "' is not a sid\n";
    return kExitUsage;
  }
  Action act = Action::Alert;
  if (is_action && !action_from_name(pos[2], act)) {
    std::cerr << "dejfa rule: '" << pos[2] << "' is not alert, drop, reject or pass\n";
    return kExitUsage;
  }
  return guarded("rule", [&] {
    Session s(o);
    if (!s.attached) {
      std::cerr << "dejfa rule: the card's rules are unknown here: " << s.why
                << "; run dejfa load first\n";
      return kExitDevice;
    }
    const std::size_t slot = s.drv->rule_index(sid, gid);
    const std::uint64_t w0 = s.drv->writes();
    const char* before = action_name(s.drv->rule_action(slot));
    const bool was_on = s.drv->rule_enabled(slot);
    if (is_action)
      s.drv->set_rule_action(slot, act);
    else
      s.drv->set_rule_enabled(slot, op == "enable");
    write_flags(s.dir, s.key, s.drv->flags());
    std::printf("sid %u (slot %zu): %s -> %s, %s -> %s; %llu register writes, committed\n", sid,
                slot, was_on ? "enabled" : "disabled",
                s.drv->rule_enabled(slot) ? "enabled" : "disabled", before,
                action_name(s.drv->rule_action(slot)),
                static_cast<unsigned long long>(s.drv->writes() - w0));
    return kExitOk;
  });
}

}  // namespace dejfa::cli
