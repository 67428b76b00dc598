// SPDX-License-Identifier: Apache-2.0
//
// PCIe cards through sysfs (docs/CARDS.md for the shells, their IDs and windows).

#include "dejfa/card.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "dejfa/gen/regs.hpp"

namespace dejfa::card {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kWindowBytes = std::uint64_t{1} << hw::kAxilAddrW;

std::string read_line(const fs::path& p) {
  std::ifstream f(p);
  std::string s;
  if (!f || !std::getline(f, s)) return {};
  return s;
}

/// sysfs writes IDs as "0x10ee".
bool read_id(const fs::path& p, std::uint16_t& out) {
  const std::string s = read_line(p);
  if (s.empty()) return false;
  try {
    const unsigned long v = std::stoul(s, nullptr, 16);
    if (v > 0xFFFF) return false;
    out = static_cast<std::uint16_t>(v);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

/// Size of BAR `bar` from sysfs "resource" (one "start end flags" line per resource).
std::uint64_t bar_size(const fs::path& dir, unsigned bar) {
  std::ifstream f(dir / "resource");
  std::string line;
  for (unsigned i = 0; std::getline(f, line); ++i) {
    if (i != bar) continue;
    std::istringstream ls(line);
    std::string a, b;
    ls >> a >> b;
    try {
      const std::uint64_t start = std::stoull(a, nullptr, 16), end = std::stoull(b, nullptr, 16);
      return end > start ? end - start + 1 : 0;
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

/// PCI COMMAND bit 1 (memory space) from the first bytes of config space (world-readable).
int mem_enabled(const fs::path& dir) {
  std::ifstream f(dir / "config", std::ios::binary);
  unsigned char b[6] = {};
  if (!f.read(reinterpret_cast<char*>(b), sizeof b)) return -1;
  return (b[4] & 0x02) != 0 ? 1 : 0;
}

std::string hex16(std::uint16_t v) {
  char b[8];
  std::snprintf(b, sizeof b, "%04x", v);
  return b;
}

}  // namespace

const std::vector<Shell>& shells() {
  // OpenNIC: the core sits in box_250mhz, box 0 of the shell's BAR2 map at 0x100000 (the shell's
  // RTL, src/open_nic_shell.sv, decides; its README's table is wrong there). Corundum: the
  // application block's AXI-Lite window is BAR2 from offset 0.
  static const std::vector<Shell> k = {
      {"opennic", "AMD OpenNIC shell, box_250mhz user plugin (BAR2 + 0x100000)", 2, 0x100000},
      {"corundum", "Corundum mqnic, application block (BAR2 + 0)", 2, 0},
  };
  return k;
}

const Shell* shell_named(std::string_view name) {
  for (const auto& s : shells()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const Shell* shell_for(std::uint16_t vendor, std::uint16_t device) {
  if (vendor == 0x10ee) {
    // QDMA physical functions as open-nic-driver lists them: 0x9<pf><link>, pf 0..3, link one
    // of Gen3 x1/x2/x4/x8/x16 (31 32 34 38 3f) or Gen4 x1/x2/x4/x8 (41 42 44 48).
    const unsigned hi = device >> 12, pf = (device >> 8) & 0xF, link = device & 0xFF;
    constexpr unsigned kLinks[] = {0x31, 0x32, 0x34, 0x38, 0x3f, 0x41, 0x42, 0x44, 0x48};
    if (hi == 9 && pf <= 3 &&
        std::find(std::begin(kLinks), std::end(kLinks), link) != std::end(kLinks))
      return shell_named("opennic");
    return nullptr;
  }
  if ((vendor == 0x1234 || vendor == 0x5543) && device == 0x1001) return shell_named("corundum");
  return nullptr;
}

std::string sysfs_root() {
  const char* e = std::getenv("DEJFA_SYSFS_PCI");
  return e != nullptr && *e != '\0' ? e : "/sys/bus/pci/devices";
}

std::string normalise_bdf(const std::string& bdf) {
  auto is_hex = [](const std::string& s, std::size_t n) {
    return s.size() == n &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
  };
  std::string s = bdf;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (std::count(s.begin(), s.end(), ':') == 1) s = "0000:" + s;
  // dddd:bb:dd.f
  const bool ok = s.size() == 12 && s[4] == ':' && s[7] == ':' && s[10] == '.' &&
                  is_hex(s.substr(0, 4), 4) && is_hex(s.substr(5, 2), 2) &&
                  is_hex(s.substr(8, 2), 2) && s[11] >= '0' && s[11] <= '7';
  if (!ok) {
    throw BusError("'" + bdf + "' is not a PCI address (domain:bus:device.function, e.g. " +
                   "0000:3b:00.0 or 3b:00.0; see dejfa devices)");
  }
  return s;
}

PciDevice probe(const std::string& root, const std::string& bdf) {
  PciDevice d;
  d.bdf = normalise_bdf(bdf);
  const fs::path dir = fs::path(root) / d.bdf;
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    throw BusError("no PCI device " + d.bdf + " under " + root +
                   " (not present, removed, or needs a rescan after programming: " +
                   "echo 1 > /sys/bus/pci/rescan)");
  }
  d.path = dir.string();
  if (!read_id(dir / "vendor", d.vendor) || !read_id(dir / "device", d.device)) {
    throw BusError(d.path + ": cannot read its vendor/device IDs");
  }
  d.shell = shell_for(d.vendor, d.device);
  const fs::path drv = dir / "driver";
  if (fs::is_symlink(drv, ec)) d.driver = fs::read_symlink(drv, ec).filename().string();
  d.bar_size = bar_size(dir, d.shell != nullptr ? d.shell->bar : 2);
  d.mem_enabled = mem_enabled(dir);
  return d;
}

std::vector<PciDevice> scan(const std::string& root) {
  std::vector<PciDevice> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    std::uint16_t v = 0, dv = 0;
    if (!read_id(e.path() / "vendor", v) || !read_id(e.path() / "device", dv)) continue;
    if (shell_for(v, dv) == nullptr) continue;
    try {
      out.push_back(probe(root, e.path().filename().string()));
    } catch (const BusError&) {
      // an entry that is not a BDF or vanished while scanning: not a card to list
    }
  }
  std::sort(out.begin(), out.end(),
            [](const PciDevice& a, const PciDevice& b) { return a.bdf < b.bdf; });
  return out;
}

std::string lockdown_mode() {
  const std::string s = read_line("/sys/kernel/security/lockdown");
  const auto a = s.find('['), b = s.find(']');
  return a != std::string::npos && b != std::string::npos && b > a ? s.substr(a + 1, b - a - 1)
                                                                   : std::string();
}

PcieBus::PcieBus(const std::string& root, const std::string& bdf, const Shell* shell)
    : dev_(probe(root, bdf)) {
  const Shell* sh = shell != nullptr ? shell : dev_.shell;
  if (sh == nullptr) {
    throw BusError(dev_.bdf + " (" + hex16(dev_.vendor) + ":" + hex16(dev_.device) +
                   ") is not a supported card; name its shell with --shell opennic|corundum if "
                   "it carries a dejfa core under other IDs");
  }
  if (sh != dev_.shell) dev_.bar_size = bar_size(dev_.path, sh->bar);
  if (dev_.mem_enabled == 0) {
    throw BusError(dev_.bdf +
                   ": memory decoding is off (PCI COMMAND bit 1 is 0), every register "
                   "would read all-ones; enable it with: setpci -s " +
                   dev_.bdf + " COMMAND=0x02 (docs/CARDS.md)");
  }
  if (dev_.bar_size == 0) {
    throw BusError(dev_.bdf + ": BAR" + std::to_string(sh->bar) +
                   " is not assigned (rescan the bus after programming the card)");
  }
  if (dev_.bar_size < sh->window + kWindowBytes) {
    throw BusError(dev_.bdf + ": BAR" + std::to_string(sh->bar) + " is " +
                   std::to_string(dev_.bar_size) + " bytes, the " + std::string(sh->name) +
                   " window needs " + std::to_string(sh->window + kWindowBytes) +
                   " (another shell or build?)");
  }
  const std::string res = (fs::path(dev_.path) / ("resource" + std::to_string(sh->bar))).string();
  try {
    bar_ = std::make_unique<MmapBus>(res, kWindowBytes, sh->window);
  } catch (const BusError& e) {
    const std::string lock = lockdown_mode();
    throw BusError(std::string(e.what()) +
                   (lock.empty() || lock == "none"
                        ? std::string()
                        : "; kernel lockdown is '" + lock +
                              "', which forbids mapping PCI BARs from user space") +
                   (dev_.driver.empty() ? std::string()
                                        : "; driver " + dev_.driver +
                                              " holds the device (a strict-devmem kernel needs "
                                              "iomem=relaxed)"));
  }
  char off[32];
  std::snprintf(off, sizeof off, "0x%llx", static_cast<unsigned long long>(sh->window));
  name_ = dev_.bdf + " BAR" + std::to_string(sh->bar) + "+" + off;
}

std::unique_ptr<RegisterBus> open_device(const std::string& spec, const std::string& shell) {
  const Shell* sh = nullptr;
  if (!shell.empty()) {
    sh = shell_named(shell);
    if (sh == nullptr) throw BusError("unknown shell '" + shell + "' (opennic, corundum)");
  }
  if (spec.rfind("sim:", 0) == 0) return std::make_unique<SocketBus>(spec.substr(4));
  if (spec.rfind("file:", 0) == 0) {
    return std::make_unique<MmapBus>(spec.substr(5), kWindowBytes, 0);
  }
  return std::make_unique<PcieBus>(sysfs_root(), spec, sh);
}

}  // namespace dejfa::card
