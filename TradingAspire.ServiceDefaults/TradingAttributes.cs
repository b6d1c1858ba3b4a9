namespace TradingAspire.ServiceDefaults;

/// <summary>
/// The one place where trading span/metric attribute names and baggage keys are defined.
/// Everything trading-specific lives under <c>trading.*</c>; everything else uses the
/// OpenTelemetry semantic conventions in <see cref="SemanticAttributes"/>.
/// </summary>
public static class TradingAttributes
{
    public const string OrderId = "trading.order_id";
    public const string ClientId = "trading.client_id";
    public const string Symbol = "trading.symbol";
    public const string Side = "trading.side";
    public const string OrderType = "trading.order_type";
    public const string Quantity = "trading.quantity";
    public const string Price = "trading.price";
    public const string LimitPrice = "trading.limit_price";
    public const string Venue = "trading.venue";
    public const string Stage = "trading.stage";
    public const string Outcome = "trading.outcome";
    public const string OrderStatus = "trading.order.status";
    public const string RiskDecision = "trading.risk.decision";
    public const string RiskReason = "trading.risk.reason";
    public const string SlippageBps = "trading.slippage_bps";
    public const string FillPrice = "trading.fill.price";
    public const string FillQuantity = "trading.fill.quantity";
    public const string RouteCandidates = "trading.route.candidates";
    public const string RouteReason = "trading.route.reason";
    public const string ReferencePrice = "trading.reference_price";
    public const string IdempotencyReplay = "trading.idempotency.replayed";
    public const string VenueLatencyMs = "trading.venue.latency_ms";

    /// <summary>The trace id a client sent in its <c>traceparent</c>: kept as a link on the gateway's root span, never as its parent.</summary>
    public const string ClientTraceId = "trading.client.trace_id";

    /// <summary>
    /// On a span link, what the linked span is to the linking one: <c>client_trace_context</c> (the gateway's root → the
    /// caller's span), <c>triggering_quote</c> (a strategy's root → the marketdata span that carried the quote it acted on).
    /// </summary>
    public const string LinkReason = "trading.link.reason";

    /// <summary>Venues an order waits for while they are away (on the <c>order.route</c> span that decided to wait).</summary>
    public const string RouteWaitingFor = "trading.route.waiting_for";

    /// <summary>
    /// How <c>order.route</c> priced latency for this order: <c>static</c> (one configured bp/ms for every venue) or <c>trace</c>
    /// (each venue's slope of slippage on latency from the trace store); also on execution's span that carries the slippage.
    /// </summary>
    public const string RoutePolicy = "trading.route.policy";

    /// <summary>The latency price (bp per ms) routing charged the chosen venue (on <c>order.route</c>).</summary>
    public const string RouteLatencyPenalty = "trading.route.latency_penalty_bps_per_ms";

    /// <summary>What a <c>risk.check</c> waits for before it can decide (<c>price</c>: no venue has a fresh quote for the symbol).</summary>
    public const string RiskWaitingFor = "trading.risk.waiting_for";

    /// <summary>On the root span of a trace kept by an always-sample rule: <c>client</c>, <c>symbol</c> or <c>notional</c>.</summary>
    public const string SamplingRule = "trading.sampling.rule";

    /// <summary>Age (ms) of the market price a decision used, since the venue sent it (on <c>risk.check</c> and <c>order.route</c>).</summary>
    public const string PriceAgeMs = "trading.price.age_ms";

    /// <summary>Venues whose quotes a decision left out because they were stale (on <c>order.route</c>).</summary>
    public const string StaleVenues = "trading.route.stale_venues";

    // The marketdata service's feed sessions and sampled messages.
    public const string FeedSessionId = "trading.marketdata.session_id";
    public const string FeedSeq = "trading.marketdata.seq";
    public const string FeedMessageType = "trading.marketdata.message_type";
    public const string FeedLatencyMs = "trading.marketdata.latency_ms";
    public const string FeedSampleReason = "trading.marketdata.sample_reason";
    public const string FeedGapSize = "trading.marketdata.gap.size";
    public const string FeedGapRecovered = "trading.marketdata.gap.recovered";
    public const string FeedReconnectAttempt = "trading.marketdata.reconnect_attempt";
    public const string FeedDisconnectReason = "trading.marketdata.disconnect_reason";
    public const string FeedState = "trading.marketdata.feed_state";

    public const string StrategyId = "trading.strategy_id";
    public const string Desk = "trading.desk";

    /// <summary>Baggage keys that travel with an order and are copied onto every span.</summary>
    public static readonly string[] BaggageKeys = [OrderId, ClientId, StrategyId, Desk];

    /// <summary>
    /// The only baggage a client may send in; the gateway drops everything else (and always sets
    /// order id and client id itself).
    /// </summary>
    public static readonly string[] ClientBaggageAllowList = [StrategyId, Desk];

    // Strategies and arbitrage (issue 11): on strategy.signal / arbitrage / arbitrage.leg spans and their metrics.
    public const string StrategyName = "trading.strategy.name";
    /// <summary>The triggering quote's venue, its venue timestamp (µs since the Unix epoch), its age at decision time and its feed sequence number.</summary>
    public const string SignalQuoteVenue = "trading.signal.quote_venue";
    public const string SignalQuoteTimestamp = "trading.signal.quote_ts_us";
    public const string SignalQuoteAgeMs = "trading.signal.quote_age_ms";
    public const string SignalQuoteSeq = "trading.signal.quote_seq";
    /// <summary>Why a quote did not trigger a signal (<c>stale</c>, <c>crossed</c>, <c>feed_down</c>, …), on the suppression counter.</summary>
    public const string SignalSuppressedReason = "trading.signal.suppressed_reason";
    /// <summary>From the signal's start to its last fill, ms (set on the signal or arbitrage span when the orders are final).</summary>
    public const string SignalToFillMs = "trading.signal.to_fill_ms";
    /// <summary>From the quote's venue timestamp to the venue acknowledging the order, ms.</summary>
    public const string TickToTradeMs = "trading.tick_to_trade_ms";
    public const string ArbitrageId = "trading.arbitrage.id";
    public const string ArbitrageLeg = "trading.arbitrage.leg";
    public const string ArbitrageOutcome = "trading.arbitrage.outcome";
    public const string ArbitrageExpectedEdgeBps = "trading.arbitrage.expected_edge_bps";
    public const string ArbitrageRealisedEdgeBps = "trading.arbitrage.realised_edge_bps";
    public const string ArbitrageExpectedEdge = "trading.arbitrage.expected_edge";
    public const string ArbitrageRealisedEdge = "trading.arbitrage.realised_edge";
    /// <summary>Time between sending the two legs, ms.</summary>
    public const string ArbitrageLegSkewMs = "trading.arbitrage.leg_skew_ms";
}

/// <summary>OpenTelemetry semantic-convention attribute names used by our own instrumentation.</summary>
public static class SemanticAttributes
{
    public const string MessagingSystem = "messaging.system";
    public const string MessagingDestinationName = "messaging.destination.name";
    public const string MessagingDestinationTemplate = "messaging.destination.template";
    public const string MessagingDestinationPartitionId = "messaging.destination.partition.id";
    public const string MessagingOperationType = "messaging.operation.type";
    public const string MessagingOperationName = "messaging.operation.name";
    public const string MessagingMessageId = "messaging.message.id";
    public const string MessagingConsumerGroupName = "messaging.consumer.group.name";
    public const string MessagingBatchMessageCount = "messaging.batch.message_count";
    public const string MessagingClientId = "messaging.client.id";
    /// <summary>Not yet in the registry for Redis; named like the RabbitMQ/ServiceBus delivery count.</summary>
    public const string MessagingDeliveryCount = "messaging.redis.message.delivery_count";
    public const string ErrorType = "error.type";
    public const string ServerAddress = "server.address";
    public const string HttpRequestMethod = "http.request.method";
    public const string HttpResponseStatusCode = "http.response.status_code";
    public const string ExceptionMessage = "exception.message";
    public const string ExceptionType = "exception.type";
}
