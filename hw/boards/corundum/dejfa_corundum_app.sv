// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * dejfa_corundum_app: the filter core as a Corundum application (mqnic_app_block), on the
 * synchronous receive tap of one port.
 *
 * Placement (docs/CARDS.md): s_axis_sync_rx[FILTER_PORT] -> filter -> m_axis_sync_rx[FILTER_PORT],
 * in the core clock domain (clk, 250 MHz on the Alveo builds), after the port's receive
 * asynchronous FIFO and before the interface's receive path. Other ports pass through. Frames
 * the filter drops never reach the host queues; passed frames leave byte-identical with their
 * tuser ({ptp_ts, bad_frame}). The tap honours back-pressure; with the MAC's
 * AXIS_RX_USE_READY = 0 the port's FIFO marks frames bad when it fills instead of stalling the
 * MAC, so a long stall upstream of the filter shows up as bad frames in the port's counters.
 *
 * Registers: the application BAR (BAR2) reaches s_axil_app_ctrl; the core's 1 MiB window starts
 * at offset 0 (the host's Corundum shell entry: BAR2 + 0). When the BAR is larger than 1 MiB the
 * window repeats (upper address bits are not decoded). The register bus runs on clk too: no
 * clock crossing.
 */
module dejfa_corundum_app #(
  /// ports of the build (each with its own sync RX tap)
  parameter int unsigned PORT_COUNT = 1,
  /// the port whose receive path is filtered
  parameter int unsigned FILTER_PORT = 0,
  /// sync tap data width: 64 (configuration 10g) or 512 (100g)
  parameter int unsigned AXIS_SYNC_DATA_WIDTH = 512,
  /// sync tap keep width
  parameter int unsigned AXIS_SYNC_KEEP_WIDTH = AXIS_SYNC_DATA_WIDTH / 8,
  /// receive tuser width ({ptp_ts, bad_frame})
  parameter int unsigned AXIS_SYNC_RX_USER_WIDTH = 97,
  /// application control window address width (at least 20: the core's window is 1 MiB)
  parameter int unsigned AXIL_APP_CTRL_ADDR_WIDTH = 24,
  /// application control data width (32)
  parameter int unsigned AXIL_APP_CTRL_DATA_WIDTH = 32,
  /// derived
  localparam int unsigned AAW = AXIL_APP_CTRL_ADDR_WIDTH,
  localparam int unsigned DW = AXIS_SYNC_DATA_WIDTH,
  localparam int unsigned KW = AXIS_SYNC_KEEP_WIDTH,
  localparam int unsigned UW = AXIS_SYNC_RX_USER_WIDTH
) (
  /// core clock and its synchronous active-high reset
  input  wire logic                  clk,
  input  wire logic                  rst,

  /// application control (AXI4-Lite slave, from BAR2)
  input  wire logic [AAW-1:0]        s_axil_awaddr,
  input  wire logic [2:0]            s_axil_awprot,
  input  wire logic                  s_axil_awvalid,
  output logic                       s_axil_awready,
  input  wire logic [31:0]           s_axil_wdata,
  input  wire logic [3:0]            s_axil_wstrb,
  input  wire logic                  s_axil_wvalid,
  output logic                       s_axil_wready,
  output logic [1:0]                 s_axil_bresp,
  output logic                       s_axil_bvalid,
  input  wire logic                  s_axil_bready,
  input  wire logic [AAW-1:0]        s_axil_araddr,
  input  wire logic [2:0]            s_axil_arprot,
  input  wire logic                  s_axil_arvalid,
  output logic                       s_axil_arready,
  output logic [31:0]                s_axil_rdata,
  output logic [1:0]                 s_axil_rresp,
  output logic                       s_axil_rvalid,
  input  wire logic                  s_axil_rready,

  /// receive frames from the ports (sync tap, per port)
  input  wire logic [PORT_COUNT*DW-1:0] s_axis_rx_tdata,
  input  wire logic [PORT_COUNT*KW-1:0] s_axis_rx_tkeep,
  input  wire logic [PORT_COUNT-1:0]    s_axis_rx_tvalid,
  output logic [PORT_COUNT-1:0]         s_axis_rx_tready,
  input  wire logic [PORT_COUNT-1:0]    s_axis_rx_tlast,
  input  wire logic [PORT_COUNT*UW-1:0] s_axis_rx_tuser,
  /// receive frames toward the interfaces
  output logic [PORT_COUNT*DW-1:0]      m_axis_rx_tdata,
  output logic [PORT_COUNT*KW-1:0]      m_axis_rx_tkeep,
  output logic [PORT_COUNT-1:0]         m_axis_rx_tvalid,
  input  wire logic [PORT_COUNT-1:0]    m_axis_rx_tready,
  output logic [PORT_COUNT-1:0]         m_axis_rx_tlast,
  output logic [PORT_COUNT*UW-1:0]      m_axis_rx_tuser
);
  localparam int unsigned AW = dejfa_regs_pkg::AXIL_ADDR_W;
  localparam int PORTS = PORT_COUNT;  // signed, for the genvar loop (no casts: Yosys 0.23)
  localparam int FPORT = FILTER_PORT;

  initial begin
    if (AXIL_APP_CTRL_ADDR_WIDTH < AW) begin
      $fatal(1, "dejfa: AXIL_APP_CTRL_ADDR_WIDTH %0d < %0d (the register window is 1 MiB)",
             AXIL_APP_CTRL_ADDR_WIDTH, AW);
    end
    if (AXIL_APP_CTRL_DATA_WIDTH != 32) begin
      $fatal(1, "dejfa: AXIL_APP_CTRL_DATA_WIDTH must be 32, not %0d", AXIL_APP_CTRL_DATA_WIDTH);
    end
    if (FILTER_PORT >= PORT_COUNT) begin
      $fatal(1, "dejfa: FILTER_PORT %0d >= PORT_COUNT %0d", FILTER_PORT, PORT_COUNT);
    end
    if (KW * 8 != DW) begin
      $fatal(1, "dejfa: AXIS_SYNC_KEEP_WIDTH %0d is not a byte per lane of %0d bits", KW, DW);
    end
  end

  // Upper address bits are not decoded (the window repeats); protection bits do not matter.
  wire logic unused_axil = ^{s_axil_awaddr[AAW-1:AW], s_axil_araddr[AAW-1:AW], s_axil_awprot,
                             s_axil_arprot};

  for (genvar p = 0; p < PORTS; p++) begin : g_port
    if (p == FPORT) begin : g_filter
      dejfa_filter #(.DATA_W(DW), .USER_W(UW)) u_filter (
        .clk, .rst,
        .s_axis_tdata(s_axis_rx_tdata[p*DW +: DW]),
        .s_axis_tkeep(s_axis_rx_tkeep[p*KW +: KW]),
        .s_axis_tvalid(s_axis_rx_tvalid[p]),
        .s_axis_tready(s_axis_rx_tready[p]),
        .s_axis_tlast(s_axis_rx_tlast[p]),
        .s_axis_tuser(s_axis_rx_tuser[p*UW +: UW]),
        .m_axis_tdata(m_axis_rx_tdata[p*DW +: DW]),
        .m_axis_tkeep(m_axis_rx_tkeep[p*KW +: KW]),
        .m_axis_tvalid(m_axis_rx_tvalid[p]),
        .m_axis_tready(m_axis_rx_tready[p]),
        .m_axis_tlast(m_axis_rx_tlast[p]),
        .m_axis_tuser(m_axis_rx_tuser[p*UW +: UW]),
        .s_axil_awaddr(s_axil_awaddr[AW-1:0]), .s_axil_awvalid, .s_axil_awready,
        .s_axil_wdata, .s_axil_wstrb, .s_axil_wvalid, .s_axil_wready,
        .s_axil_bresp, .s_axil_bvalid, .s_axil_bready,
        .s_axil_araddr(s_axil_araddr[AW-1:0]), .s_axil_arvalid, .s_axil_arready,
        .s_axil_rdata, .s_axil_rresp, .s_axil_rvalid, .s_axil_rready
      );
    end else begin : g_pass
      assign m_axis_rx_tdata[p*DW +: DW] = s_axis_rx_tdata[p*DW +: DW];
      assign m_axis_rx_tkeep[p*KW +: KW] = s_axis_rx_tkeep[p*KW +: KW];
      assign m_axis_rx_tvalid[p]         = s_axis_rx_tvalid[p];
      assign s_axis_rx_tready[p]         = m_axis_rx_tready[p];
      assign m_axis_rx_tlast[p]          = s_axis_rx_tlast[p];
      assign m_axis_rx_tuser[p*UW +: UW] = s_axis_rx_tuser[p*UW +: UW];
    end
  end

endmodule

`resetall
