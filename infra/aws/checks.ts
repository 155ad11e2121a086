import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Runs cdk-nag's AwsSolutions rules over every stack of `app` when it is
 * synthesized: an error not acknowledged where it stays by design (with its
 * reason, next to the resource) stops `cdk synth` and `cdk deploy`; warnings
 * are printed. The infra tests run the same pack over the same stacks.
 *
 * @example
 * const app = new App();
 * addHromadaStacks(app, readDeploymentConfig(app.node));
 * addAwsChecks(app);
 * app.synth();
 */
export function addAwsChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
