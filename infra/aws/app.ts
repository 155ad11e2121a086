/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy --all`): reads the deployment
 * settings from context, adds the Hromada stacks and checks them with cdk-nag's
 * AwsSolutions rules. See docs/deploy.md.
 */
import { App } from 'aws-cdk-lib';
import { addAwsChecks } from './checks';
import { readDeploymentConfig } from './config';
import { addHromadaStacks } from './hromada';

const app = new App();
addHromadaStacks(app, readDeploymentConfig(app.node));
addAwsChecks(app);
app.synth();
