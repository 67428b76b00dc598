// SPDX-License-Identifier: Apache-2.0
/**
 * dejfa_axil_cdc: AXI4-Lite across two unrelated clocks, one transaction at a time.
 *
 * The shells clock their register bus slower than the datapath (OpenNIC: axil_aclk 125 MHz,
 * axis_aclk 250 MHz; Corundum runs both on one clock and needs none of this). Register traffic is
 * a few million accesses per second at most, so the crossing is a request/acknowledge handshake
 * with bundled data rather than asynchronous FIFOs:
 *   - the slave side (s_clk) takes one write (AW and W, in either order) or one read, holds
 *     address, data and strobes in registers and flips req_t;
 *   - req_t crosses through two flip-flops; the master side (m_clk) sees the flip, issues the
 *     transaction on m_axil from the held registers (stable since the flip), takes the response
 *     into its registers and flips ack_t;
 *   - ack_t crosses back through two flip-flops; the slave side answers with the held response.
 * Only the two toggles cross; every data register is read in the other domain at least two
 * destination clocks after it last changed, and does not change again before the toggle comes
 * back. A round trip costs about 3 cycles of each clock plus the target's latency.
 *
 * Resets: each side has its own synchronous reset; both must be asserted together (the wrappers
 * derive them from one reset, synchronised into each domain) and held for at least three cycles
 * of the slower clock.
 */
`default_nettype none

module dejfa_axil_cdc #(
  /// address width
  parameter int unsigned AW = 20
) (
  /// slave-side clock (the shell's register bus)
  input  wire logic          s_clk,
  /// slave-side synchronous active-high reset
  input  wire logic          s_rst,
  /// write address
  input  wire logic [AW-1:0] s_axil_awaddr,
  /// write address valid
  input  wire logic          s_axil_awvalid,
  /// write address ready
  output logic               s_axil_awready,
  /// write data
  input  wire logic [31:0]   s_axil_wdata,
  /// write strobes
  input  wire logic [3:0]    s_axil_wstrb,
  /// write data valid
  input  wire logic          s_axil_wvalid,
  /// write data ready
  output logic               s_axil_wready,
  /// write response
  output logic [1:0]         s_axil_bresp,
  /// write response valid
  output logic               s_axil_bvalid,
  /// write response ready
  input  wire logic          s_axil_bready,
  /// read address
  input  wire logic [AW-1:0] s_axil_araddr,
  /// read address valid
  input  wire logic          s_axil_arvalid,
  /// read address ready
  output logic               s_axil_arready,
  /// read data
  output logic [31:0]        s_axil_rdata,
  /// read response
  output logic [1:0]         s_axil_rresp,
  /// read data valid
  output logic               s_axil_rvalid,
  /// read data ready
  input  wire logic          s_axil_rready,

  /// master-side clock (the core's)
  input  wire logic          m_clk,
  /// master-side synchronous active-high reset
  input  wire logic          m_rst,
  /// write address
  output logic [AW-1:0]      m_axil_awaddr,
  /// write address valid
  output logic               m_axil_awvalid,
  /// write address ready
  input  wire logic          m_axil_awready,
  /// write data
  output logic [31:0]        m_axil_wdata,
  /// write strobes
  output logic [3:0]         m_axil_wstrb,
  /// write data valid
  output logic               m_axil_wvalid,
  /// write data ready
  input  wire logic          m_axil_wready,
  /// write response
  input  wire logic [1:0]    m_axil_bresp,
  /// write response valid
  input  wire logic          m_axil_bvalid,
  /// write response ready
  output logic               m_axil_bready,
  /// read address
  output logic [AW-1:0]      m_axil_araddr,
  /// read address valid
  output logic               m_axil_arvalid,
  /// read address ready
  input  wire logic          m_axil_arready,
  /// read data
  input  wire logic [31:0]   m_axil_rdata,
  /// read response
  input  wire logic [1:0]    m_axil_rresp,
  /// read data valid
  input  wire logic          m_axil_rvalid,
  /// read data ready
  output logic               m_axil_rready
);

  // ------------------------------------------------------------------ slave side (s_clk)
  typedef enum logic [1:0] {S_IDLE, S_WAIT, S_RESP} s_state_e;
  s_state_e      s_state_q;
  logic          aw_held_q, w_held_q, op_write_q, req_t_q;
  logic [AW-1:0] addr_q;
  logic [31:0]   wdata_q;
  logic [3:0]    wstrb_q;
  logic          s_rvalid_q, s_bvalid_q;
  logic [31:0]   s_rdata_q;
  logic [1:0]    s_resp_q;
  (* ASYNC_REG = "TRUE" *) logic [1:0] ack_sync_q;  // ack_t into s_clk
  logic          ack_seen_q;

  // m-side registers read by the slave side (declared here for the crossing)
  logic          ack_t_q;
  logic [31:0]   m_rdata_q;
  logic [1:0]    m_resp_q;

  wire logic idle = s_state_q == S_IDLE;
  assign s_axil_awready = idle && !aw_held_q;
  assign s_axil_wready  = idle && !w_held_q;
  // A read is taken only when no write has started, so a write is never starved by reads
  // and never interleaved with one.
  assign s_axil_arready = idle && !aw_held_q && !w_held_q && !s_axil_awvalid && !s_axil_wvalid;
  assign s_axil_bvalid  = s_bvalid_q;
  assign s_axil_bresp   = s_resp_q;
  assign s_axil_rvalid  = s_rvalid_q;
  assign s_axil_rdata   = s_rdata_q;
  assign s_axil_rresp   = s_resp_q;

  always_ff @(posedge s_clk) begin
    ack_sync_q <= {ack_sync_q[0], ack_t_q};
    case (s_state_q)
      S_IDLE: begin
        if (s_axil_awvalid && s_axil_awready) begin
          aw_held_q <= 1'b1;
          addr_q    <= s_axil_awaddr;
        end
        if (s_axil_wvalid && s_axil_wready) begin
          w_held_q <= 1'b1;
          wdata_q  <= s_axil_wdata;
          wstrb_q  <= s_axil_wstrb;
        end
        if ((aw_held_q || s_axil_awvalid) && (w_held_q || s_axil_wvalid)) begin
          op_write_q <= 1'b1;
          req_t_q    <= !req_t_q;
          s_state_q  <= S_WAIT;
        end else if (s_axil_arvalid && s_axil_arready) begin
          addr_q     <= s_axil_araddr;
          op_write_q <= 1'b0;
          req_t_q    <= !req_t_q;
          s_state_q  <= S_WAIT;
        end
      end
      S_WAIT: begin
        if (ack_sync_q[1] != ack_seen_q) begin
          ack_seen_q <= ack_sync_q[1];
          s_rdata_q  <= m_rdata_q;
          s_resp_q   <= m_resp_q;
          s_bvalid_q <= op_write_q;
          s_rvalid_q <= !op_write_q;
          s_state_q  <= S_RESP;
        end
      end
      default: begin  // S_RESP
        if ((s_bvalid_q && s_axil_bready) || (s_rvalid_q && s_axil_rready)) begin
          s_bvalid_q <= 1'b0;
          s_rvalid_q <= 1'b0;
          aw_held_q  <= 1'b0;
          w_held_q   <= 1'b0;
          s_state_q  <= S_IDLE;
        end
      end
    endcase
    if (s_rst) begin
      s_state_q  <= S_IDLE;
      aw_held_q  <= 1'b0;
      w_held_q   <= 1'b0;
      op_write_q <= 1'b0;
      req_t_q    <= 1'b0;
      s_bvalid_q <= 1'b0;
      s_rvalid_q <= 1'b0;
      ack_sync_q <= '0;
      ack_seen_q <= 1'b0;
    end
  end

  // ------------------------------------------------------------------ master side (m_clk)
  typedef enum logic [1:0] {M_IDLE, M_ADDR, M_RESP} m_state_e;
  m_state_e   m_state_q;
  (* ASYNC_REG = "TRUE" *) logic [1:0] req_sync_q;  // req_t into m_clk
  logic       req_seen_q, m_write_q, aw_done_q, w_done_q;

  assign m_axil_awaddr  = addr_q;
  assign m_axil_araddr  = addr_q;
  assign m_axil_wdata   = wdata_q;
  assign m_axil_wstrb   = wstrb_q;
  assign m_axil_awvalid = m_state_q == M_ADDR && m_write_q && !aw_done_q;
  assign m_axil_wvalid  = m_state_q == M_ADDR && m_write_q && !w_done_q;
  assign m_axil_arvalid = m_state_q == M_ADDR && !m_write_q;
  assign m_axil_bready  = m_state_q == M_RESP && m_write_q;
  assign m_axil_rready  = m_state_q == M_RESP && !m_write_q;

  always_ff @(posedge m_clk) begin
    req_sync_q <= {req_sync_q[0], req_t_q};
    case (m_state_q)
      M_IDLE: begin
        if (req_sync_q[1] != req_seen_q) begin
          req_seen_q <= req_sync_q[1];
          m_write_q  <= op_write_q;  // stable: set with the toggle, two m_clk edges ago
          aw_done_q  <= 1'b0;
          w_done_q   <= 1'b0;
          m_state_q  <= M_ADDR;
        end
      end
      M_ADDR: begin
        if (m_write_q) begin
          if (m_axil_awvalid && m_axil_awready) aw_done_q <= 1'b1;
          if (m_axil_wvalid && m_axil_wready) w_done_q <= 1'b1;
          if ((aw_done_q || m_axil_awready) && (w_done_q || m_axil_wready)) m_state_q <= M_RESP;
        end else if (m_axil_arready) begin
          m_state_q <= M_RESP;
        end
      end
      default: begin  // M_RESP
        if (m_write_q && m_axil_bvalid) begin
          m_resp_q  <= m_axil_bresp;
          ack_t_q   <= !ack_t_q;
          m_state_q <= M_IDLE;
        end else if (!m_write_q && m_axil_rvalid) begin
          m_rdata_q <= m_axil_rdata;
          m_resp_q  <= m_axil_rresp;
          ack_t_q   <= !ack_t_q;
          m_state_q <= M_IDLE;
        end
      end
    endcase
    if (m_rst) begin
      m_state_q  <= M_IDLE;
      req_sync_q <= '0;
      req_seen_q <= 1'b0;
      m_write_q  <= 1'b0;
      aw_done_q  <= 1'b0;
      w_done_q   <= 1'b0;
      ack_t_q    <= 1'b0;
      m_rdata_q  <= '0;
      m_resp_q   <= '0;
    end
  end

endmodule

`default_nettype wire
