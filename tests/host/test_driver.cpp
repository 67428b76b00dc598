// SPDX-License-Identifier: Apache-2.0
//
// The driver on a file-backed register window (MmapBus over a plain file: the shape of a PCIe
// BAR): identification, refusal of wrong hardware and of format-2 images, an image load whose
// content-table words land where docs/registers.md says and which stops before COMMIT when the
// record port does not confirm its tables (a file has none: loads and tuning through a real
// port are the core's tests and `dejfa simcard`'s), and the clear errors for a missing device, a
// short window, a card that reads all-ones and a snapshot that never completes.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../common/randgen.hpp"
#include "dejfa/driver.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_tables.hpp"
#include "dejfa/regbus.hpp"

namespace {

namespace fs = std::filesystem;
constexpr std::size_t kWindow = std::size_t{1} << dejfa::hw::kAxilAddrW;

/// A file laid out like the core's register window, identification registers filled in.
fs::path make_bar(const std::string& name, const dejfa::hw::Config& cfg, std::uint32_t id) {
  const fs::path p = fs::temp_directory_path() / ("dejfa-test-" + name + ".bar");
  std::vector<std::uint32_t> w(kWindow / 4, 0);
  w[dejfa::hw::reg::ID / 4] = id;
  w[dejfa::hw::reg::VERSION / 4] = dejfa::hw::kCoreVersion;
  w[dejfa::hw::reg::IMAGE_FMT / 4] = dejfa::hw::kImageFormat;
  const auto params = cfg.params();
  for (std::size_t i = 0; i < params.size(); ++i) w[dejfa::hw::kParamRegs[i] / 4] = params[i];
  std::ofstream(p, std::ios::binary)
      .write(reinterpret_cast<const char*>(w.data()), static_cast<std::streamsize>(kWindow));
  return p;
}

TEST(Driver, IdentifiesLoadsAndRefusesThroughAFileBackedBar) {
  const auto& cfg = dejfa::hw::kConfigs[0];
  const fs::path bar = make_bar("ok", cfg, dejfa::hw::kCoreId);
  dejfa::MmapBus bus(bar.string(), kWindow);
  dejfa::Driver drv(bus);
  EXPECT_EQ(drv.identify().config, &cfg);

  dejfa::testgen::Gen g(3);
  auto res = dejfa::compile(g.rules(40), cfg);
  ASSERT_TRUE(res.ok);
  // A file has no record port behind it: the content tables land, then RT_COUNT (0) does not
  // confirm the first header table and the load stops before COMMIT, naming the table.
  try {
    drv.load(res.image);
    FAIL() << "a plain file took the record port's tables";
  } catch (const dejfa::DriverError& e) {
    EXPECT_NE(std::string(e.what()).find("the record port took 0 of"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("ADDR_BOUNDS"), std::string::npos) << e.what();
  }
  EXPECT_EQ(drv.image(), nullptr) << "a failed load is not a loaded image";
  // Every content-table word landed at TABLES + 4 * word (the last write to a word wins), and
  // the header tables' first entry at the record port: RT_SEL, RT_IDX, RT_DATA.
  std::map<std::uint32_t, std::uint32_t> last;
  for (const auto& t : dejfa::table_writes(res.image)) last[t.word] = t.data;
  std::size_t checked = 0;
  for (const auto& [word, data] : last) {
    ASSERT_EQ(bus.read32(dejfa::hw::window::TABLES_BASE + 4 * word), data) << "word " << word;
    ++checked;
  }
  EXPECT_GT(checked, 1000U);
  EXPECT_EQ(bus.read32(dejfa::hw::reg::RT_SEL), dejfa::hw::rtbl::ADDR_BOUNDS);
  ASSERT_GT(res.image.rt[dejfa::hw::rtbl::ADDR_BOUNDS].size(), 1U);
  EXPECT_EQ(bus.read32(dejfa::hw::window::RT_DATA_BASE + 4 * dejfa::hw::rtbl::kWords[0]),
            res.image.rt[dejfa::hw::rtbl::ADDR_BOUNDS][1][0])
      << "entry 1's first word follows entry 0's";
  EXPECT_EQ(bus.read32(dejfa::hw::reg::COMMIT), 0U) << "committed an incomplete bank";
  EXPECT_EQ(bus.read32(dejfa::hw::reg::IMAGE_TAG), 0U);

  // An image for the other configuration, or of format 2, is refused before anything is written.
  auto other = dejfa::compile(g.rules(40), dejfa::hw::kConfigs[1]);
  ASSERT_TRUE(other.ok);
  auto v2 = dejfa::compile(g.rules(40), cfg, 2);
  ASSERT_TRUE(v2.ok);
  const std::uint64_t writes = drv.writes();
  for (const auto* img : {&other.image, &v2.image}) {
    try {
      drv.load(*img);
      FAIL() << "accepted an image of the other configuration or format";
    } catch (const dejfa::DriverError& e) {
      EXPECT_NE(std::string(e.what()).find("nothing was written"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(drv.writes(), writes);

  // IMAGE_TAG names the loaded image; another process adopts it only when the tag agrees.
  const std::uint32_t tag = dejfa::Driver::tag_of(res.image);
  EXPECT_NE(tag, 0U);
  EXPECT_NE(dejfa::Driver::tag_of(dejfa::compile(g.rules(41), cfg).image), tag);
  {
    bus.write32(dejfa::hw::reg::IMAGE_TAG, tag);  // as a load by another process leaves it
    dejfa::Driver later(bus);
    EXPECT_THROW(later.attach(res.image, std::vector<std::uint32_t>(3, 0)), dejfa::DriverError);
    later.attach(res.image, std::vector<std::uint32_t>(res.image.rules.size(), 0));
    ASSERT_NE(later.image(), nullptr);
    bus.write32(dejfa::hw::reg::IMAGE_TAG, 0);  // a reset card: nothing to adopt
    dejfa::Driver after_reset(bus);
    try {
      after_reset.attach(res.image, std::vector<std::uint32_t>(res.image.rules.size(), 0));
      FAIL() << "adopted an image the card does not hold";
    } catch (const dejfa::DriverError& e) {
      EXPECT_NE(std::string(e.what()).find("no rules loaded since reset"), std::string::npos)
          << e.what();
    }
  }

  // A file does not answer a snapshot: the driver gives up with a message instead of hanging.
  try {
    (void)drv.counters();
    FAIL() << "a snapshot completed on a plain file";
  } catch (const dejfa::DriverError& e) {
    EXPECT_NE(std::string(e.what()).find("did not complete"), std::string::npos) << e.what();
  }
  fs::remove(bar);
}

TEST(Driver, ReportsACardThatIsGoneOrWrong) {
  const auto& cfg = dejfa::hw::kConfigs[1];
  {
    const fs::path bar = make_bar("gone", cfg, 0xFFFFFFFFU);
    dejfa::MmapBus bus(bar.string(), kWindow);
    dejfa::Driver drv(bus);
    try {
      drv.identify();
      FAIL();
    } catch (const dejfa::DriverError& e) {
      EXPECT_NE(std::string(e.what()).find("all-ones"), std::string::npos) << e.what();
    }
    fs::remove(bar);
  }
  {
    const fs::path bar = make_bar("wrong", cfg, 0x12345678U);
    dejfa::MmapBus bus(bar.string(), kWindow);
    dejfa::Driver drv(bus);
    try {
      drv.identify();
      FAIL();
    } catch (const dejfa::DriverError& e) {
      EXPECT_NE(std::string(e.what()).find("not dejfa's"), std::string::npos) << e.what();
    }
    fs::remove(bar);
  }
}

TEST(Driver, MmapBusExplainsWhatIsMissing) {
  try {
    dejfa::MmapBus bus("/nonexistent/dejfa/resource2", kWindow);
    FAIL();
  } catch (const dejfa::BusError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos) << e.what();
  }
  const fs::path small = fs::temp_directory_path() / "dejfa-test-small.bar";
  std::ofstream(small) << "tiny";
  try {
    dejfa::MmapBus bus(small.string(), kWindow);
    FAIL();
  } catch (const dejfa::BusError& e) {
    EXPECT_NE(std::string(e.what()).find("register window needs"), std::string::npos) << e.what();
  }
  fs::remove(small);
}

}  // namespace
