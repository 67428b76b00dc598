// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_pktbuf: store-and-forward packet buffer. Frames enter on s_axis and wait until their
 * verdict arrives (s_vd_*, one per frame, in frame order, at any time after the frame's first
 * beat); then they are released on m_axis unchanged (tdata, tkeep, tlast, tuser) or discarded.
 * The next frame's verdict is taken in the cycle its predecessor's last beat leaves, so
 * back-to-back frames leave back to back. Discarding consumes one beat per cycle.
 *
 * Buffer: DEPTH beats. When it is full, s_axis_tready goes low (the line is back-pressured,
 * nothing is lost); with m_axis_tready high and verdicts arriving within DEPTH - (frame beats)
 * cycles it never fills.
 */
module dejfa_pktbuf #(
  /// AXI4-Stream data width in bits
  parameter int unsigned DATA_W = 64,
  /// tuser width in bits
  parameter int unsigned USER_W = 16,
  /// buffer depth in beats (a power of two)
  parameter int unsigned DEPTH = 2048,
  /// tkeep width (derived)
  localparam int unsigned KEEP_W = DATA_W / 8
) (
  /// datapath clock
  input  wire logic               clk,
  /// synchronous active-high reset
  input  wire logic               rst,

  /// input stream
  input  wire logic [DATA_W-1:0]  s_axis_tdata,
  /// input byte enables
  input  wire logic [KEEP_W-1:0]  s_axis_tkeep,
  /// input valid
  input  wire logic               s_axis_tvalid,
  /// input ready (low only when the buffer is full)
  output logic                    s_axis_tready,
  /// input end of frame
  input  wire logic               s_axis_tlast,
  /// input user sideband
  input  wire logic [USER_W-1:0]  s_axis_tuser,

  /// verdict valid (one per frame, in order)
  input  wire logic               s_vd_valid,
  /// verdict: 1 discard the frame, 0 release it
  input  wire logic               s_vd_drop,

  /// output stream
  output logic [DATA_W-1:0]       m_axis_tdata,
  /// output byte enables
  output logic [KEEP_W-1:0]       m_axis_tkeep,
  /// output valid
  output logic                    m_axis_tvalid,
  /// output ready
  input  wire logic               m_axis_tready,
  /// output end of frame
  output logic                    m_axis_tlast,
  /// output user sideband
  output logic [USER_W-1:0]       m_axis_tuser,

  /// one-cycle pulse: a frame's last beat was released
  output logic                    m_pass_pulse,
  /// one-cycle pulse: a frame's last beat was discarded
  output logic                    m_drop_pulse
);

  localparam int unsigned AW = $clog2(DEPTH);
  localparam int unsigned EW = DATA_W + KEEP_W + 1 + USER_W;

  initial begin
    if ((1 << AW) != DEPTH) $fatal(1, "dejfa_pktbuf: DEPTH must be a power of two (%m)");
  end

  // ---------------------------------------------------------------- beat store
  logic [EW-1:0] mem [DEPTH];
  logic [AW:0]   wr_q, rd_q;
  wire logic     empty = wr_q == rd_q;
  wire logic     full = wr_q == {~rd_q[AW], rd_q[AW-1:0]};
  wire logic     wr = s_axis_tvalid && s_axis_tready;

  assign s_axis_tready = !full;

  always_ff @(posedge clk) begin
    if (wr) mem[wr_q[AW-1:0]] <= {s_axis_tuser, s_axis_tlast, s_axis_tkeep, s_axis_tdata};
  end

  wire logic [EW-1:0] head = mem[rd_q[AW-1:0]];
  wire logic          head_last = head[DATA_W + KEEP_W];

  // ---------------------------------------------------------------- verdicts (in frame order)
  // At most one frame per beat is in the buffer, so DEPTH verdicts always fit.
  logic [DEPTH-1:0] vd_mem;
  logic [AW:0]      vd_wr_q, vd_rd_q;
  wire logic        vd_avail = vd_wr_q != vd_rd_q;
  wire logic        vd_head = vd_mem[vd_rd_q[AW-1:0]];

  always_ff @(posedge clk) begin
    if (s_vd_valid) vd_mem[vd_wr_q[AW-1:0]] <= s_vd_drop;
  end

  // ---------------------------------------------------------------- release / discard
  typedef enum logic [1:0] {IDLE_E, PASS_E, DROP_E} mode_e;
  mode_e mode_q, mode;
  logic  take_vd;
  always_comb begin
    take_vd = 1'b0;
    mode = mode_q;
    if (mode_q == IDLE_E && vd_avail) begin
      take_vd = 1'b1;
      mode = vd_head ? DROP_E : PASS_E;
    end
  end

  assign m_axis_tvalid = mode == PASS_E && !empty;
  assign {m_axis_tuser, m_axis_tlast, m_axis_tkeep, m_axis_tdata} = head;
  wire logic out_beat = m_axis_tvalid && m_axis_tready;
  wire logic drop_beat = mode == DROP_E && !empty;
  wire logic rd = out_beat || drop_beat;

  always_ff @(posedge clk) begin
    m_pass_pulse <= 1'b0;
    m_drop_pulse <= 1'b0;
    if (wr) wr_q <= wr_q + 1'b1;
    if (s_vd_valid) vd_wr_q <= vd_wr_q + 1'b1;
    if (take_vd) vd_rd_q <= vd_rd_q + 1'b1;
    mode_q <= mode;
    if (rd) begin
      rd_q <= rd_q + 1'b1;
      if (head_last) begin
        mode_q <= IDLE_E;
        m_pass_pulse <= out_beat;
        m_drop_pulse <= drop_beat;
      end
    end
    if (rst) begin
      wr_q    <= '0;
      rd_q    <= '0;
      vd_wr_q <= '0;
      vd_rd_q <= '0;
      mode_q  <= IDLE_E;
      m_pass_pulse <= 1'b0;
      m_drop_pulse <= 1'b0;
    end
  end

  // More verdicts than frames can never be pending (one verdict per frame).
  `DEJFA_ASSERT(VerdictFifoNotFull_A, !(s_vd_valid && vd_wr_q == {~vd_rd_q[AW], vd_rd_q[AW-1:0]}),
                clk, rst)

endmodule

`resetall
`default_nettype wire
