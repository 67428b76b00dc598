// SPDX-License-Identifier: Apache-2.0
/**
 * mqnic_app_block (stub): the part of Corundum's application block that dejfa uses, with the
 * template's port names, widths and parameters (fpga/app/template/rtl/mqnic_app_block.v at
 * corundum 1ca0151b): the clock and reset, the application-control AXI4-Lite slave and the
 * synchronous receive taps. It includes the same glue file as the block make-app.py writes into
 * a Corundum tree, so the instance is linted and tested here as Vivado will compile it. The real
 * block's other ports (DMA, PTP, DDR/HBM, direct and interface taps, transmit) keep the
 * template's pass-through and tie-offs there and do not appear in this stub.
 */
`resetall
`timescale 1ns / 1ps
`default_nettype none

module mqnic_app_block #(
  parameter int IF_COUNT = 1,
  parameter int PORTS_PER_IF = 1,
  parameter int PORT_COUNT = IF_COUNT * PORTS_PER_IF,
  parameter int PTP_TS_ENABLE = 1,
  parameter int PTP_TS_WIDTH = 96,
  parameter int AXIL_APP_CTRL_DATA_WIDTH = 32,
  parameter int AXIL_APP_CTRL_ADDR_WIDTH = 24,
  parameter int AXIL_APP_CTRL_STRB_WIDTH = AXIL_APP_CTRL_DATA_WIDTH / 8,
  parameter int AXIS_DATA_WIDTH = 512,
  parameter int AXIS_RX_USER_WIDTH = (PTP_TS_ENABLE != 0 ? PTP_TS_WIDTH : 0) + 1,
  parameter int AXIS_SYNC_DATA_WIDTH = AXIS_DATA_WIDTH,
  parameter int AXIS_SYNC_KEEP_WIDTH = AXIS_SYNC_DATA_WIDTH / 8,
  parameter int AXIS_SYNC_RX_USER_WIDTH = AXIS_RX_USER_WIDTH
) (
  input  wire                                          clk,
  input  wire                                          rst,

  input  wire [AXIL_APP_CTRL_ADDR_WIDTH-1:0]           s_axil_app_ctrl_awaddr,
  input  wire [2:0]                                    s_axil_app_ctrl_awprot,
  input  wire                                          s_axil_app_ctrl_awvalid,
  output wire                                          s_axil_app_ctrl_awready,
  input  wire [AXIL_APP_CTRL_DATA_WIDTH-1:0]           s_axil_app_ctrl_wdata,
  input  wire [AXIL_APP_CTRL_STRB_WIDTH-1:0]           s_axil_app_ctrl_wstrb,
  input  wire                                          s_axil_app_ctrl_wvalid,
  output wire                                          s_axil_app_ctrl_wready,
  output wire [1:0]                                    s_axil_app_ctrl_bresp,
  output wire                                          s_axil_app_ctrl_bvalid,
  input  wire                                          s_axil_app_ctrl_bready,
  input  wire [AXIL_APP_CTRL_ADDR_WIDTH-1:0]           s_axil_app_ctrl_araddr,
  input  wire [2:0]                                    s_axil_app_ctrl_arprot,
  input  wire                                          s_axil_app_ctrl_arvalid,
  output wire                                          s_axil_app_ctrl_arready,
  output wire [AXIL_APP_CTRL_DATA_WIDTH-1:0]           s_axil_app_ctrl_rdata,
  output wire [1:0]                                    s_axil_app_ctrl_rresp,
  output wire                                          s_axil_app_ctrl_rvalid,
  input  wire                                          s_axil_app_ctrl_rready,

  input  wire [PORT_COUNT*AXIS_SYNC_DATA_WIDTH-1:0]    s_axis_sync_rx_tdata,
  input  wire [PORT_COUNT*AXIS_SYNC_KEEP_WIDTH-1:0]    s_axis_sync_rx_tkeep,
  input  wire [PORT_COUNT-1:0]                         s_axis_sync_rx_tvalid,
  output wire [PORT_COUNT-1:0]                         s_axis_sync_rx_tready,
  input  wire [PORT_COUNT-1:0]                         s_axis_sync_rx_tlast,
  input  wire [PORT_COUNT*AXIS_SYNC_RX_USER_WIDTH-1:0] s_axis_sync_rx_tuser,

  output wire [PORT_COUNT*AXIS_SYNC_DATA_WIDTH-1:0]    m_axis_sync_rx_tdata,
  output wire [PORT_COUNT*AXIS_SYNC_KEEP_WIDTH-1:0]    m_axis_sync_rx_tkeep,
  output wire [PORT_COUNT-1:0]                         m_axis_sync_rx_tvalid,
  input  wire [PORT_COUNT-1:0]                         m_axis_sync_rx_tready,
  output wire [PORT_COUNT-1:0]                         m_axis_sync_rx_tlast,
  output wire [PORT_COUNT*AXIS_SYNC_RX_USER_WIDTH-1:0] m_axis_sync_rx_tuser
);

  `include "dejfa_corundum_app_inst.vh"

endmodule

`resetall
