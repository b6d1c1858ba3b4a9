// A foreign OTLP client: the OpenTelemetry JS SDK, exporting OTLP/HTTP (JSON) with none of our attributes.
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');

async function main() {
  const exporter = new OTLPTraceExporter({
    url: process.env.OTLP_TRACES_URL,
    headers: { 'x-otlp-api-key': process.env.OTLP_API_KEY },
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.SERVICE_NAME }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('foreign-test');
  const parent = tracer.startSpan('checkout.compute');
  parent.setAttribute('shop.cart_items', 3);
  parent.addEvent('priced', { 'shop.total': 42.5 });
  parent.end();
  await provider.forceFlush();
  await provider.shutdown();
  console.log(parent.spanContext().traceId);
}

main().catch(err => { console.error(err); process.exit(1); });
