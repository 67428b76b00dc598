// SPDX-License-Identifier: Apache-2.0
//
// FPGA cards on PCIe: finding them in sysfs and mapping the dejfa register window of their BAR
// (docs/CARDS.md). The driver (driver.hpp) runs on the RegisterBus opened here exactly as it
// runs on the Verilated core.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dejfa/regbus.hpp"

namespace dejfa::card {

/// A shell the core is built into: which PCI functions carry it and where its window sits.
struct Shell {
  std::string_view name;         ///< "opennic", "corundum"
  std::string_view description;  ///< for `dejfa devices`
  unsigned bar;                  ///< BAR holding the register window
  std::uint64_t window;          ///< byte offset of the core's window inside that BAR
};

/// The shell whose PCI IDs these are, or nullptr.
const Shell* shell_for(std::uint16_t vendor, std::uint16_t device);
/// The shell with this name, or nullptr.
const Shell* shell_named(std::string_view name);
/// Every supported shell.
const std::vector<Shell>& shells();

/// One PCI function as sysfs describes it.
struct PciDevice {
  std::string bdf;   ///< domain:bus:device.function, e.g. 0000:3b:00.0
  std::string path;  ///< its sysfs directory
  std::uint16_t vendor = 0, device = 0;
  const Shell* shell = nullptr;  ///< nullptr: not a supported card
  std::string driver;            ///< kernel driver bound to it ("" if none)
  std::uint64_t bar_size = 0;    ///< size of the shell's BAR (0: not assigned)
  int mem_enabled = -1;          ///< PCI COMMAND memory-space bit: 1, 0, or -1 if unreadable
};

/// The sysfs directory of PCI devices: $DEJFA_SYSFS_PCI if set (tests use a fake tree), else
/// /sys/bus/pci/devices.
std::string sysfs_root();

/// Every PCI function under `root` whose vendor/device IDs match a supported shell, sorted by BDF.
std::vector<PciDevice> scan(const std::string& root);

/// "3b:00.0" -> "0000:3b:00.0"; throws BusError when it is not a BDF.
std::string normalise_bdf(const std::string& bdf);

/// Reads one function's sysfs entry; throws BusError naming what is missing.
PciDevice probe(const std::string& root, const std::string& bdf);

/// The core's register window in a card's BAR, mapped from sysfs resourceN (O_RDWR | O_SYNC,
/// uncached, aligned 32-bit volatile access). Refuses, with the fix in the message, a missing
/// device, an unsupported one (unless `shell` names the shell), memory decoding switched off, a
/// BAR too small for the window, no permission, and kernel lockdown.
class PcieBus : public RegisterBus {
 public:
  PcieBus(const std::string& root, const std::string& bdf, const Shell* shell = nullptr);
  std::uint32_t read32(std::uint32_t off) override { return bar_->read32(off); }
  void write32(std::uint32_t off, std::uint32_t value) override { bar_->write32(off, value); }
  [[nodiscard]] std::string name() const override { return name_; }
  [[nodiscard]] const PciDevice& device() const { return dev_; }

 private:
  PciDevice dev_;
  std::unique_ptr<MmapBus> bar_;
  std::string name_;
};

/// What `--device SPEC` opens: a BDF ("0000:3b:00.0" or "3b:00.0", through sysfs_root()), or
/// "file:PATH" (a file laid out as the register window, from offset 0: the simulator's and the
/// tests' stand-in for a BAR), or "sim:SOCKET" (a `dejfa simcard`: the Verilated core with
/// traffic running). `shell` overrides the shell detected from the PCI IDs.
std::unique_ptr<RegisterBus> open_device(const std::string& spec, const std::string& shell = "");

/// The kernel lockdown mode ("none", "integrity", "confidentiality"), "" if unknown.
std::string lockdown_mode();

}  // namespace dejfa::card
