// SPDX-License-Identifier: Apache-2.0
//
// Intentionally empty: dejfa takes the whole box_250mhz register window itself (see
// user_plugin_250mhz_inst.vh), so the shell needs no address map or AXI crossbar here, and the
// plugin needs no Xilinx IP.
