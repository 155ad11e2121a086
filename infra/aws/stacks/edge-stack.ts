import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** The window AWS WAF counts a rate-based rule's requests over, and what a blocked caller is told to wait. */
export const WAF_WINDOW_SECONDS = 300;

export interface EdgeStackProps extends StackProps {
  readonly stage: string;
  /** Requests from one IP in {@link WAF_WINDOW_SECONDS} before the web ACL blocks it. */
  readonly rateLimit: number;
}

/**
 * The web ACL in front of the API's CloudFront distribution. A web ACL for
 * CloudFront (scope `CLOUDFRONT`) can only be created in `us-east-1`, hence a
 * stack of its own there; the API stack, in the deployment's region, reads
 * its ARN across regions. AWS WAF cannot be attached to an HTTP API itself.
 */
export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const metric = `hromada-${props.stage}`;
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: metric,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: metric, sampledRequestsEnabled: true },
      rules: [
        {
          // Per caller IP, over every route: a flood from one address stops here, before API Gateway or a Lambda runs.
          name: 'RatePerIp',
          priority: 0,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                responseHeaders: [{ name: 'retry-after', value: String(WAF_WINDOW_SECONDS) }],
              },
            },
          },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimit,
              aggregateKeyType: 'IP',
              evaluationWindowSec: WAF_WINDOW_SECONDS,
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: `${metric}-rate-per-ip`,
            sampledRequestsEnabled: true,
          },
        },
      ],
    });
  }
}
